/**
 * FreeSWITCH's own URL encoding (switch_url_encode): every byte below 0x20 or
 * above 0x7E and the characters ` #%&+:;<=>?@[\]^`{|}"` become %XX with upper
 * case hex; everything else (including , / ( ) ! * ' $ ~) is left alone. A
 * `%` already followed by two upper case hex digits is passed through.
 */
const UNSAFE = new Set(' #%&+:;<=>?@[\\]^`{|}"'.split('').map((c) => c.charCodeAt(0)));
const HEX = '0123456789ABCDEF';

export function fsUrlEncode(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    if (b === 0x25 && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
      out += '%';
      continue;
    }
    if (b < 0x20 || b > 0x7e || UNSAFE.has(b)) out += `%${HEX[b >> 4] ?? '0'}${HEX[b & 15] ?? '0'}`;
    else out += String.fromCharCode(b);
  }
  return out;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46));
}

/** Decodes a form value the way a controller should: %XX only (`+` is never a space here), never throwing. */
export function fsUrlDecode(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    // Not UTF-8 (e.g. a Latin-1 caller name as %E9): decode byte by byte as Latin-1.
    return value.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}
