import type { ApiKeyScope, Notification } from '@pbx/contracts';
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
  /**
   * Set when a phone acts for its own extension (`extensionId`), e.g. through a feature code, rather than a user
   * or an API key: the audit row names it ("extension 1001 via feature code").
   */
  device?: { extensionNumber: string; via: string };
  /** An API key's scopes; absent for users, who hold every scope of their role. */
  scopes?: ReadonlySet<ApiKeyScope>;
};

/**
 * The domain's one notification port, called after a write commits with each message it caused (ConfigChanged for
 * the controllers' caches, VoicemailChanged for message-waiting lamps); must not throw (the write already happened).
 * Every process passes the same implementation: `redisNotificationPublisher` of `@pbx/jobs`.
 */
export type ChangeNotifier = (notification: Notification) => Promise<void>;

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

/** The actor of a phone changing its own extension's settings by dialing a feature code. */
export const featureCodeActor = (tenantId: string, ext: { id: string; number: string }): Actor => ({
  userId: null,
  apiKeyId: null,
  role: 'TENANT_USER',
  tenantId,
  extensionId: ext.id,
  ip: null,
  device: { extensionNumber: ext.number, via: 'feature code' },
});

/** The platform acting on its own (worker jobs: e-mail delivery, recording processing, retention). */
export const systemActor: Actor = {
  userId: null,
  apiKeyId: null,
  role: 'PLATFORM_ADMIN',
  tenantId: null,
  extensionId: null,
  ip: null,
};
