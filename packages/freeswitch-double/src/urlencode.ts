// FreeSWITCH's URL encoding (switch_url_encode in src/switch_utils.c), used in plain event headers,
// mod_xml_curl bodies and json_cdr variables. It differs from encodeURIComponent, so a byte-exact
// double must use it. The decoder production code uses is @pbx/esl's fsUrlDecode.

const ESCAPED = new Set(Array.from(' #%&+:;<=>?@[\\]^`{|}"', (c) => c.charCodeAt(0)));
const HEX = '0123456789ABCDEF';

/**
 * Every byte below 0x20 or above 0x7E and ` #%&+:;<=>?@[\]^`{|}"` become %XX (upper-case hex);
 * `, / ( ) ! * ' $ ~` are left alone; a `%` already followed by two upper-case hex digits is
 * passed through (lossy, but that is what FreeSWITCH does).
 */
export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2])) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || ESCAPED.has(b)) out += `%${HEX[b >> 4] ?? '0'}${HEX[b & 15] ?? '0'}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function isUpperHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}
