import type { CreateVoicemailBox } from '@pbx/contracts';
import type { VoicemailBox } from '@pbx/db';
import type { TenantContext } from '../context.js';
import { hashSecret } from '../security/password.js';
import { boxColumns } from './box-columns.js';
import { runWrite } from '../shared/run-write.js';
import { checkBoxFallback } from './check-box-fallback.js';
import { checkBoxNumber } from './check-box-number.js';

export async function createVoicemailBox(
  ctx: TenantContext,
  input: CreateVoicemailBox,
): Promise<VoicemailBox> {
  const { pin, ...rest } = input;
  const pinHash = await hashSecret(pin);
  return runWrite(ctx, async (tx, record) => {
    await checkBoxNumber(tx, ctx.tenantId, input.number);
    await checkBoxFallback(tx, ctx.tenantId, input.fallback);
    const box = await tx.voicemailBox.create({
      data: { ...boxColumns(rest), number: rest.number, name: rest.name, tenantId: ctx.tenantId, pinHash },
    });
    await record({
      action: 'voicemail-box.create',
      entityType: 'voicemail-box',
      entityId: box.id,
      after: box,
    });
    return box;
  });
}
