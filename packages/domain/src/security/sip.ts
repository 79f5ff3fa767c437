import { createHash, randomInt } from 'node:crypto';

/**
 * FreeSWITCH's `a1-hash` directory param: MD5("user:realm:password"), the HA1
 * of RFC 2617 digest auth. The realm is the tenant's SIP domain, so changing a
 * tenant's domain requires resetting every SIP password.
 */
export function sipA1Hash(user: string, domain: string, password: string): string {
  return createHash('md5').update(`${user}:${domain}:${password}`).digest('hex');
}

// No look-alikes (0/O, 1/l/I) so passwords can be typed into a phone's web UI.
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** 20 characters from a 57-letter alphabet: ~116 bits. */
export function generateSipPassword(length = 20): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}
