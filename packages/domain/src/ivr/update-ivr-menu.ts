import type { UpdateIvrMenu } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { AppError, notFound } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { assertVersion } from '../shared/version.js';
import { checkIvrMenu } from './check-ivr-menu.js';
import { ivrMenuColumns, ivrOptionRows } from './ivr-menu-columns.js';
import { withOptions, type IvrMenuWithOptions } from './types.js';

/** `options`, when sent, replaces the whole set. */
export async function updateIvrMenu(
  ctx: TenantContext,
  menuId: string,
  input: UpdateIvrMenu,
  ifMatch?: string,
): Promise<IvrMenuWithOptions> {
  return runWrite(ctx, async (tx, record) => {
    const before = await tx.ivrMenu.findFirst({
      where: { id: menuId, tenantId: ctx.tenantId },
      include: withOptions,
    });
    if (!before) throw notFound('IVR menu');
    assertVersion(before, ifMatch);
    if (
      input.name !== undefined &&
      (await tx.ivrMenu.count({ where: { tenantId: ctx.tenantId, name: input.name, NOT: { id: menuId } } }))
    ) {
      throw new AppError('CONFLICT', `an IVR menu named ${input.name} exists`, { field: 'name' });
    }
    await checkIvrMenu(tx, ctx.tenantId, input, menuId);
    // Always touch the row so updatedAt (the ETag) moves also when only options changed.
    await tx.ivrMenu.update({
      where: { id: menuId },
      data: { ...ivrMenuColumns(input), updatedAt: new Date() },
    });
    if (input.options) {
      await tx.ivrOption.deleteMany({ where: { menuId, tenantId: ctx.tenantId } });
      await tx.ivrOption.createMany({ data: ivrOptionRows(ctx.tenantId, menuId, input.options) });
    }
    const after = await tx.ivrMenu.findUniqueOrThrow({ where: { id: menuId }, include: withOptions });
    await record({ action: 'ivr-menu.update', entityType: 'ivr-menu', entityId: menuId, before, after });
    return after;
  });
}
