import type { ApiKeyScope } from '@pbx/contracts';
import type { Db } from '@pbx/db';
import type { ChangeNotifier, Principal } from '@pbx/domain';
import type { MediaLayout } from '@pbx/media';
import type { ObjectStorage } from '@pbx/storage';
import type { ApiConfig } from '../config.js';

/**
 * Who may call a route; every route declares one (checked at start-up), and
 * the auth plugin enforces it in one place.
 * - public: no credentials
 * - authenticated: any principal
 * - platform: platform admins
 * - admin: platform admins and tenant admins (routes outside /tenants/:tenantId)
 * - tenant-admin: under /tenants/:tenantId, platform admins or that tenant's admins
 * - tenant-platform: under /tenants/:tenantId, platform admins only
 * - extension-owner: tenant admins, or the TENANT_USER whose extension is :extensionId
 * - voicemail-owner: tenant admins, or the TENANT_USER whose extension uses mailbox :boxId
 */
export type Access =
  | 'public'
  | 'authenticated'
  | 'platform'
  | 'admin'
  | 'tenant-admin'
  | 'tenant-platform'
  | 'extension-owner'
  | 'voicemail-owner';

export type ResolvedTenant = { id: string; domain: string };

export type Services = {
  db: Db;
  config: ApiConfig;
  notify: ChangeNotifier;
  /** Where greetings are stored (MEDIA_DIR). */
  media: MediaLayout;
  /** The durable copies: recordings (and voicemail audio, greetings) are downloaded from here. */
  storage: ObjectStorage;
  /** GATEWAY_SECRET_KEY decoded (null: unset, trunk passwords cannot be stored). */
  gatewayKey: Buffer | null;
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The scope an API key needs; default READ for GET/HEAD, WRITE otherwise. */
    scope?: ApiKeyScope;
    /** The route takes a multipart/form-data upload in the field `file` (documented in OpenAPI). */
    upload?: { description: string };
  }
  interface FastifyRequest {
    principal: Principal | null;
    tenant: ResolvedTenant | null;
    sessionToken: string | null;
  }
}
