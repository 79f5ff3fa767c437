/** %XX decoding that never throws (FreeSWITCH passes non-UTF-8 bytes through as %E9 etc.). */
export function fsUrlDecodeSafe(value: string): string {
  if (!value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

/** Escapes text for an XML attribute or element; drops characters XML 1.0 cannot carry. */
export function xmlEscape(value: string): string {
  return dropChars(value, (c) => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/**
 * Free text (names) that ends up in channel variables or in the data of an
 * application. FreeSWITCH expands `${...}` and `$${...}` in application data,
 * so `$` is removed; line breaks and other control characters are removed
 * too. Everything else (& " < > ' , |) is kept and only XML-escaped.
 */
export function fsText(value: string, max = 80): string {
  return dropChars(value, (c) => c < 0x20 || c === 0x7f || c === 0x24).slice(0, max);
}

/** Escapes a literal for a PCRE expression in a dialplan condition. */
export function regexLiteral(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

export const DOMAIN_RE = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const EXTENSION_RE = /^\d{1,8}$/;

function dropChars(value: string, drop: (code: number) => boolean): string {
  let out = '';
  for (const ch of value) if (!drop(ch.codePointAt(0) ?? 0)) out += ch;
  return out;
}
