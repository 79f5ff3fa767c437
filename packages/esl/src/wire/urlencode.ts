// FreeSWITCH's own URL encoding (switch_url_encode): it differs from encodeURIComponent, and a
// byte-exact double must use it. Decoding must never throw: FreeSWITCH passes non-UTF-8 bytes through.

const ESCAPED = new Set(Array.from(' #%&+:;<=>?@[\\]^`{|}"', (c) => c.charCodeAt(0)));
const HEX = /^[0-9A-F]$/;

function isUpperHex(byte: number | undefined): boolean {
  return byte !== undefined && HEX.test(String.fromCharCode(byte));
}

export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    // An existing %XX escape is passed through as-is (lossy, but that is what FreeSWITCH does).
    if (b === 0x25 && isUpperHex(bytes[i + 1]) && isUpperHex(bytes[i + 2])) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || ESCAPED.has(b)) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
    else out += String.fromCharCode(b);
  }
  return out;
}

/** Percent-decodes to bytes, then to UTF-8 with replacement characters; never throws. */
export function safeUrlDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    const out: number[] = [];
    const src = Buffer.from(value, 'utf8');
    for (let i = 0; i < src.length; i++) {
      const b = src[i] ?? 0;
      if (b === 0x25 && i + 2 < src.length) {
        const hex = String.fromCharCode(src[i + 1] ?? 0, src[i + 2] ?? 0);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out.push(parseInt(hex, 16));
          i += 2;
          continue;
        }
      }
      out.push(b);
    }
    return Buffer.from(out).toString('utf8');
  }
}
