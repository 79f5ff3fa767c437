// Where FreeSWITCH reads prompts and greetings and writes voicemail audio: one directory tree
// (MEDIA_DIR), mounted at the same path on every FreeSWITCH node and on the controller, API and worker,
// so a path the controller hands to `playback` or `record` means the same file on every node.
import { join } from 'node:path';
import { z } from 'zod';
import type { PromptName } from './catalog.js';

// Ids become path segments: only UUIDs, so no caller-controlled value can leave the tenant's directory.
const Id = z.uuid();

export const GreetingKind = z.enum(['unavailable', 'busy', 'name']);
export type GreetingKind = z.infer<typeof GreetingKind>;

export interface MediaLayout {
  readonly root: string;
  /** The built-in prompt set of one language. */
  promptDir(lang?: string): string;
  prompt(name: PromptName, lang?: string): string;
  tenantDir(tenantId: string): string;
  ivrGreeting(tenantId: string, menuId: string): string;
  boxGreeting(tenantId: string, boxId: string, kind: GreetingKind): string;
  voicemailDir(tenantId: string, boxId: string): string;
  voicemailMessage(tenantId: string, boxId: string, messageId: string): string;
}

export function mediaLayout(root: string): MediaLayout {
  const tenantDir = (tenantId: string) => join(root, 'tenants', Id.parse(tenantId));
  const voicemailDir = (tenantId: string, boxId: string) =>
    join(tenantDir(tenantId), 'voicemail', Id.parse(boxId));
  return {
    root,
    promptDir: (lang = 'en') => join(root, 'prompts', lang),
    prompt: (name, lang = 'en') => join(root, 'prompts', lang, `${name}.wav`),
    tenantDir,
    ivrGreeting: (tenantId, menuId) => join(tenantDir(tenantId), 'greetings', `ivr-${Id.parse(menuId)}.wav`),
    boxGreeting: (tenantId, boxId, kind) =>
      join(tenantDir(tenantId), 'greetings', `vm-${Id.parse(boxId)}-${GreetingKind.parse(kind)}.wav`),
    voicemailDir,
    voicemailMessage: (tenantId, boxId, messageId) =>
      join(voicemailDir(tenantId, boxId), `${Id.parse(messageId)}.wav`),
  };
}
