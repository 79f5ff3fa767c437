import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 hex: enough for high-entropy random tokens (sessions, API keys), unlike passwords. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** `pbx_<8 chars id>_<secret>`: the prefix is safe to show and identifies the key in lists. */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = `pbx_${randomToken(6)}_${randomToken(24)}`;
  return { key, prefix: key.slice(0, 12), hash: sha256(key) };
}
