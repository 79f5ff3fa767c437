import { createHash, createHmac, hash, timingSafeEqual } from 'node:crypto';

/**
 * The channel variable the dialplan sets just before it sends a call on to an internal destination (`pbx-…`:
 * a continuation after a failed bridge, the concurrent-limit refusal). FreeSWITCH posts every channel variable
 * with the next lookup as `variable_<name>`; a phone cannot set it: SIP headers become channel variables only
 * under sofia's own prefixes (`sip_h_`, `sip_i_`, `sip_…`; src/mod/endpoints/mod_sofia/sofia.c,
 * sofia_handle_sip_i_invite), never a bare `pbx_` name.
 */
export const TRANSFER_TOKEN_VAR = 'pbx_transfer_token';

export type TransferTokens = {
  /** The variable's value allowing this channel (uuid) to reach destinations starting with `target` in `context`. */
  sign(uuid: string, context: string, target: string): string;
  /** Whether `value` (the posted variable) lets this channel reach `destination` in `context`. */
  verify(uuid: string, context: string, destination: string, value: string | undefined): boolean;
};

// What may follow the signed prefix: FreeSWITCH appends `${originate_disposition}` (e.g. USER_BUSY) to a
// continuation; nothing else.
const SUFFIX_RE = /^[A-Z_]{0,40}$/;
const TARGET_RE = /^pbx-[\w-]{1,120}$/;

/** SHA-256's block size: RFC 2104 pads the key to it. */
const BLOCK = 64;
/** Longest message (UTF-8 bytes) the shared buffer takes; a longer one (a strange Unique-ID) takes createHmac. */
const MAX_MESSAGE = 1024;

/**
 * HMAC-SHA256 (RFC 2104) with a fixed key, as base64url: the same bytes as createHmac('sha256', key), which the
 * tests check. Every call of the dialplan signs a token, and createHmac sets up a new OpenSSL MAC context for each
 * (its key schedule and digest look-ups: most of the signing time, measured); here the padded key blocks are made
 * once and each tag is two one-shot digests, H((K ^ opad) || H((K ^ ipad) || message)), through buffers kept for
 * the purpose (signing is synchronous, so one pair serves every call).
 */
export function hmacSha256(key: Buffer): (message: string) => string {
  if (key.length > BLOCK) throw new Error('the key must be at most one SHA-256 block');
  const inner = Buffer.alloc(BLOCK + MAX_MESSAGE);
  const outer = Buffer.alloc(BLOCK + 32);
  for (let i = 0; i < BLOCK; i++) {
    const k = key[i] ?? 0;
    inner[i] = k ^ 0x36;
    outer[i] = k ^ 0x5c;
  }
  return (message) => {
    // UTF-8 takes at most three bytes per UTF-16 code unit: a message that might not fit goes the slow way.
    if (message.length * 3 > MAX_MESSAGE)
      return createHmac('sha256', key).update(message).digest('base64url');
    const n = inner.write(message, BLOCK, 'utf8');
    outer.write(hash('sha256', inner.subarray(0, BLOCK + n), 'binary'), BLOCK, 'binary');
    return hash('sha256', outer, 'base64url');
  };
}

/**
 * Tokens bound to the channel, the context (tenant) and the target: even on the same channel (a phone that REFERs its peer
 * elsewhere), the token of one continuation does not open another. The key is derived from the xml_curl
 * password every controller of a cluster shares, so any controller can check what another rendered.
 */
export function transferTokens(secret: string): TransferTokens {
  const key = createHash('sha256').update('pbx transfer token\0').update(secret).digest();
  const hmac = hmacSha256(key);
  const mac = (uuid: string, context: string, target: string) => hmac(`${uuid}\0${context}\0${target}`);
  return {
    sign: (uuid, context, target) => `${target}.${mac(uuid, context, target)}`,
    verify(uuid, context, destination, value) {
      if (!value || !uuid) return false;
      const dot = value.lastIndexOf('.');
      if (dot <= 0) return false;
      const target = value.slice(0, dot);
      if (!TARGET_RE.test(target) || !destination.startsWith(target)) return false;
      if (!SUFFIX_RE.test(destination.slice(target.length))) return false;
      const got = Buffer.from(value.slice(dot + 1));
      const want = Buffer.from(mac(uuid, context, target));
      return got.length === want.length && timingSafeEqual(got, want);
    },
  };
}
