import type { CreateIvrMenu } from '@pbx/contracts';
import type { TenantContext } from '../context.js';
import { AppError } from '../errors.js';
import { runWrite } from '../shared/run-write.js';
import { checkIvrMenu } from './check-ivr-menu.js';
import { ivrMenuColumns, ivrOptionRows } from './ivr-menu-columns.js';
import { withOptions, type IvrMenuWithOptions } from './types.js';

export async function createIvrMenu(ctx: TenantContext, input: CreateIvrMenu): Promise<IvrMenuWithOptions> {
  return runWrite(ctx, async (tx, record) => {
    if (await tx.ivrMenu.count({ where: { tenantId: ctx.tenantId, name: input.name } })) {
      throw new AppError('CONFLICT', `an IVR menu named ${input.name} exists`, { field: 'name' });
    }
    await checkIvrMenu(tx, ctx.tenantId, input);
    const columns = ivrMenuColumns(input) as Parameters<typeof tx.ivrMenu.create>[0]['data'];
    const created = await tx.ivrMenu.create({
      data: { ...columns, tenantId: ctx.tenantId } as typeof columns,
    });
    await tx.ivrOption.createMany({ data: ivrOptionRows(ctx.tenantId, created.id, input.options ?? []) });
    const menu = await tx.ivrMenu.findUniqueOrThrow({ where: { id: created.id }, include: withOptions });
    await record({ action: 'ivr-menu.create', entityType: 'ivr-menu', entityId: menu.id, after: menu });
    return menu;
  });
}
