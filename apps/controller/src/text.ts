const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
};
const XML_SPECIAL = /[&<>"'\t\n\r]/g;
const notXmlChar = (c: number) =>
  (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff;

/** Escapes text for an XML attribute or element; drops characters XML 1.0 cannot carry. */
export function xmlEscape(value: string): string {
  const clean = dropChars(value, notXmlChar);
  return clean.replace(XML_SPECIAL, (c) => XML_ENTITIES[c] ?? c);
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

export const DOMAIN_RE =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const EXTENSION_RE = /^\d{1,8}$/;

/** Removes UTF-16 code units for which `drop` is true; returns the same string when there is nothing to drop. */
function dropChars(value: string, drop: (code: number) => boolean): string {
  let i = 0;
  while (i < value.length && !drop(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) if (!drop(value.charCodeAt(i))) out += value[i];
  return out;
}
