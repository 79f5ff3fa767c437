import type { ApiKeyScope, ConfigChanged } from '@pbx/contracts';
import type { Db, Prisma, UserRole } from '@pbx/db';

export type Tx = Prisma.TransactionClient;

/** Who is acting: a logged-in user or an API key, with the rights it carries. */
export type Actor = {
  userId: string | null;
  apiKeyId: string | null;
  role: UserRole;
  /** null for platform-scoped actors. */
  tenantId: string | null;
  /** The extension a TENANT_USER manages. */
  extensionId: string | null;
  ip: string | null;
  /** An API key's scopes; absent for users, who hold every scope of their role. */
  scopes?: ReadonlySet<ApiKeyScope>;
};

/** Called after a write commits; must not throw (the write already happened). */
export type ChangeNotifier = (change: ConfigChanged) => Promise<void>;

export type PlatformContext = {
  db: Db;
  actor: Actor;
  notify: ChangeNotifier;
};

/** Every tenant-scoped operation takes this first; every query filters by `tenantId`. */
export type TenantContext = PlatformContext & {
  tenantId: string;
  /** The tenant's SIP domain (realm of the A1 hashes, key of the controller's cache). */
  domain: string;
};

export const isAdmin = (actor: Actor): boolean =>
  actor.role === 'PLATFORM_ADMIN' || actor.role === 'TENANT_ADMIN';
