// What a menu plays: the tenant's uploaded greeting when it is there and readable, else a built-in spoken prompt,
// never silence. Every other message of a menu (no input, invalid key, goodbye) is a built-in prompt: no path an
// administrator typed ever reaches FreeSWITCH. MEDIA_DIR is the same mount on the controller and on every
// FreeSWITCH node (@pbx/media).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { IvrCallMenu } from '@pbx/domain';
import type { CallSession } from '../outbound/session.js';

export type Readable = (path: string) => Promise<boolean>;

export const isReadable: Readable = (path) =>
  access(path, constants.R_OK).then(
    () => true,
    () => false,
  );

export async function greetingOf(ctx: CallSession, menu: IvrCallMenu, readable: Readable): Promise<string> {
  const fallback = ctx.media.prompt('ivr-default-greeting');
  // The row says whether one was stored (the file is renamed into place before that write commits, docs/media.md):
  // a menu without one costs no file-system check per prompt.
  if (!menu.hasGreeting) return fallback;
  const uploaded = ctx.media.ivrGreeting(ctx.tenant.tenant.id, menu.id);
  return (await readable(uploaded)) ? uploaded : fallback;
}
