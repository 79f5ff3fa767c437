import { ALL_API_KEY_SCOPES, type ApiKeyScope } from '@pbx/contracts';
import type { UserRole } from '@pbx/db';
import type { Actor } from '../context.js';
import { AppError } from '../errors.js';

export const hasScope = (actor: Actor, scope: ApiKeyScope): boolean =>
  actor.scopes === undefined || actor.scopes.has(scope);

/** Users hold every scope; a key only what it was given. */
export const hasEveryScope = (actor: Actor): boolean => ALL_API_KEY_SCOPES.every((s) => hasScope(actor, s));

export function requireScope(actor: Actor, scope: ApiKeyScope): void {
  if (!hasScope(actor, scope)) {
    throw new AppError('FORBIDDEN', `this API key lacks the ${scope} scope`, {
      details: { missingScope: scope },
    });
  }
}

/**
 * Creating, promoting or taking over (password, re-enabling) a TENANT_ADMIN hands out every right of
 * the tenant: only a caller that itself holds every scope may do it.
 */
export function requireEveryScope(actor: Actor, why: string): void {
  if (!hasEveryScope(actor)) {
    throw new AppError('FORBIDDEN', `${why} needs an API key with every scope`, {
      details: { missingScope: ALL_API_KEY_SCOPES.filter((s) => !hasScope(actor, s)) },
    });
  }
}

const RANK: Record<UserRole, number> = { TENANT_USER: 1, TENANT_ADMIN: 2, PLATFORM_ADMIN: 3 };

/** The lower of two roles: a key acts with no more than its creator's current role. */
export const lowerRole = (a: UserRole, b: UserRole): UserRole => (RANK[a] <= RANK[b] ? a : b);
