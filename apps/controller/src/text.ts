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
const xmlEntity = (c: string) => XML_ENTITIES[c] ?? c;
/** True for every code unit xmlEscape changes: the specials above, the other C0 controls, U+FFFE and U+FFFF. */
const xmlUnsafe = (c: number) =>
  c < 0x20 ||
  c === 0x26 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x22 ||
  c === 0x27 ||
  c === 0xfffe ||
  c === 0xffff;

/** Escapes text for an XML attribute or element; drops characters XML 1.0 cannot carry. */
export function xmlEscape(value: string): string {
  // Most values (numbers, ids, domains) have nothing to escape: one scan instead of a rewrite.
  let i = 0;
  while (i < value.length && !xmlUnsafe(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  return dropChars(value, notXmlChar).replace(XML_SPECIAL, xmlEntity);
}

/**
 * Free text (names) that ends up in channel variables or in the data of an
 * application. FreeSWITCH expands `${...}` and `$${...}` in application data,
 * so `$` is removed; line breaks and other control characters are removed
 * too. Everything else (& " < > ' , |) is kept and only XML-escaped.
 */
export function fsText(value: string, max = 80): string {
  const clean = dropChars(value, notFsText);
  return clean.length > max ? clean.slice(0, max) : clean;
}
const notFsText = (c: number) => c < 0x20 || c === 0x7f || c === 0x24;

/** Escapes a literal for a PCRE expression in a dialplan condition. */
export function regexLiteral(value: string): string {
  // Dialed numbers have nothing to escape; a test is cheaper than a replace that finds nothing.
  return REGEX_SPECIAL_ANY.test(value) ? value.replace(REGEX_SPECIAL, '\\$&') : value;
}
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
const REGEX_SPECIAL_ANY = /[\\^$.*+?()[\]{}|/-]/;

export const DOMAIN_RE =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;
export const EXTENSION_RE = /^\d{1,8}$/;
/** A FreeSWITCH hangup cause by name (switch_channel.c's cause table: `USER_BUSY`, `NO_ANSWER`…). */
export const CAUSE_RE = /^[A-Z_]{1,40}$/;

/** Removes UTF-16 code units for which `drop` is true; returns the same string when there is nothing to drop. */
function dropChars(value: string, drop: (code: number) => boolean): string {
  let i = 0;
  while (i < value.length && !drop(value.charCodeAt(i))) i++;
  if (i === value.length) return value;
  let out = value.slice(0, i);
  for (; i < value.length; i++) if (!drop(value.charCodeAt(i))) out += value[i];
  return out;
}
