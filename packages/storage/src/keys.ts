import { z } from 'zod';

// Ids become key segments: only UUIDs, so nothing from a request or a call can reach another tenant's keys.
const Id = z.uuid();
const Format = z.enum(['mp3', 'wav', 'ogg', 'opus']);

const SEGMENT = /^[\w.-]+$/;
const plainSegments = (path: string) =>
  path.length <= 900 && path.split('/').every((s) => SEGMENT.test(s) && s !== '.' && s !== '..');

/** Segments of letters, digits, . _ - (never "." or ".."), joined by single slashes: a local backend joins it to its root. */
export function assertKey(key: string): string {
  if (!plainSegments(key)) throw new Error(`invalid storage key: ${JSON.stringify(key)}`);
  return key;
}

/** A prefix is empty or a key ending in "/": listing or deleting by it never matches half a segment. */
export function assertPrefix(prefix: string): string {
  if (prefix !== '' && !(prefix.endsWith('/') && plainSegments(prefix.slice(0, -1))))
    throw new Error(`invalid storage prefix: ${JSON.stringify(prefix)}`);
  return prefix;
}

/**
 * The one key scheme: everything of a tenant under `tenants/<tenantId>/`, laid out like MEDIA_DIR
 * (docs/media.md), so a tenant purge is one prefix deletion.
 */
export const storageKeys = {
  tenant: (tenantId: string) => `tenants/${Id.parse(tenantId)}/`,
  recording: (tenantId: string, recordingId: string, format: string) =>
    `tenants/${Id.parse(tenantId)}/recordings/${Id.parse(recordingId)}.${Format.parse(format)}`,
  voicemailMessage: (tenantId: string, boxId: string, messageId: string) =>
    `tenants/${Id.parse(tenantId)}/voicemail/${Id.parse(boxId)}/${Id.parse(messageId)}.wav`,
  /** `name` is the greeting file's name in MEDIA_DIR (`ivr-<menuId>.wav`, `vm-<boxId>-<kind>.wav`). */
  greeting: (tenantId: string, name: string) => assertKey(`tenants/${Id.parse(tenantId)}/greetings/${name}`),
};

export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  ogg: 'audio/ogg',
  opus: 'audio/opus',
};
