import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.js';

/**
 * Trunk passwords: FreeSWITCH needs the plain text to register (a digest is computed per challenge), so they
 * cannot be hashed. They are stored as AES-256-GCM ciphertext under GATEWAY_SECRET_KEY (32 bytes, base64), as
 * `v1.<iv>.<tag>.<ciphertext>` (base64url parts); the key never touches the database.
 */
const VERSION = 'v1';

export function secretKeyFrom(base64: string | undefined): Buffer | null {
  if (!base64) return null;
  const key = Buffer.from(base64, 'base64');
  return key.length === 32 ? key : null;
}

export function encryptSecret(key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  const parts = [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64url'));
  return [VERSION, ...parts].join('.');
}

/** The plain text, or null when the value was not encrypted with this key (a rotated key, a corrupted row). */
export function decryptSecret(key: Buffer, stored: string): string | null {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== VERSION || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

/** Refuses to store a password the platform cannot encrypt. */
export function requireSecretKey(key: Buffer | null): Buffer {
  if (!key)
    throw new AppError(
      'UNAVAILABLE',
      'trunk passwords cannot be stored: the platform has no GATEWAY_SECRET_KEY configured',
      { field: 'password' },
    );
  return key;
}
