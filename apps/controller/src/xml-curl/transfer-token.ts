import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

/**
 * Tokens bound to the channel, the context (tenant) and the target: even on the same channel (a phone that REFERs its peer
 * elsewhere), the token of one continuation does not open another. The key is derived from the xml_curl
 * password every controller of a cluster shares, so any controller can check what another rendered.
 */
export function transferTokens(secret: string): TransferTokens {
  const key = createHash('sha256').update('pbx transfer token\0').update(secret).digest();
  const mac = (uuid: string, context: string, target: string) =>
    createHmac('sha256', key).update(`${uuid}\0${context}\0${target}`).digest('base64url');
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
