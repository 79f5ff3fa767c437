// FreeSWITCH's own URL encoding (switch_url_encode), used in plain event headers, mod_xml_curl
// bodies and json_cdr variables. It differs from encodeURIComponent, so a byte-exact double
// must use it; and decoding must never throw, because FreeSWITCH passes non-UTF-8 bytes
// through (a Latin-1 caller name arrives as %E9). The one codec for the whole project.

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

/**
 * Decodes %XX (`+` never means space). Never throws: bytes that are not UTF-8 become U+FFFD,
 * and the valid UTF-8 around them is kept.
 */
export function fsUrlDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return slowDecode(value);
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: false });

function slowDecode(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (
      c === 0x25 &&
      i + 2 < value.length &&
      isHex(value.charCodeAt(i + 1)) &&
      isHex(value.charCodeAt(i + 2))
    ) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 0x80) {
      bytes.push(c);
    } else {
      bytes.push(...Buffer.from(value[i] ?? '', 'utf8'));
    }
  }
  return UTF8.decode(Uint8Array.from(bytes));
}

function isUpperHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
