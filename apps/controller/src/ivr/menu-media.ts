// What a menu plays: the tenant's uploaded audio when it is there and readable, else a built-in spoken prompt,
// never silence. MEDIA_DIR is the same mount on the controller and on every FreeSWITCH node (@pbx/media).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import type { IvrCallMenu } from '@pbx/domain';
import type { CallSession } from '../outbound/session.js';

export type Readable = (path: string) => Promise<boolean>;

export const isReadable: Readable = (path) =>
  access(path, constants.R_OK).then(
    () => true,
    () => false,
  );

export async function greetingOf(ctx: CallSession, menu: IvrCallMenu, readable: Readable): Promise<string> {
  const uploaded = ctx.media.ivrGreeting(ctx.tenant.tenant.id, menu.id);
  return (await readable(uploaded)) ? uploaded : ctx.media.prompt('ivr-default-greeting');
}

/** The menu's own "invalid option" audio (relative to the tenant's media directory), else the built-in one. */
export async function invalidMessageOf(
  ctx: CallSession,
  menu: IvrCallMenu,
  readable: Readable,
): Promise<string> {
  if (menu.invalidFile) {
    const dir = ctx.media.tenantDir(ctx.tenant.tenant.id);
    const path = join(dir, menu.invalidFile);
    const rel = relative(dir, path);
    if (!rel.startsWith('..') && !isAbsolute(rel) && (await readable(path))) return path;
  }
  return ctx.media.prompt('ivr-invalid');
}
