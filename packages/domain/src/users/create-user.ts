import type { CreateUser } from '@pbx/contracts';
import type { User } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { requireEveryScope, requireScope } from '../auth/scopes.js';
import { hashSecret } from '../security/password.js';
import { runWrite } from '../shared/run-write.js';
import { checkUserLinks } from './check-user-links.js';

export async function createUser(ctx: TenantContext, input: CreateUser): Promise<User> {
  requireScope(ctx.actor, 'USERS');
  if (input.role === 'TENANT_ADMIN') requireEveryScope(ctx.actor, 'creating a tenant admin');
  const passwordHash = await hashSecret(input.password);
  return runWrite(ctx, async (tx, record) => {
    await checkUserLinks(tx, ctx.tenantId, input);
    const user = await tx.user.create({
      data: {
        tenantId: ctx.tenantId,
        email: input.email,
        name: input.name ?? '',
        passwordHash,
        role: input.role,
        extensionId: input.extensionId ?? null,
        disabled: input.disabled ?? false,
      },
    });
    await record({
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      after: user,
      notify: false,
    });
    return user;
  });
}
