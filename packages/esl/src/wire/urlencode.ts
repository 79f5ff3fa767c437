// Decoding of FreeSWITCH's own URL encoding (switch_url_encode), used in plain event headers,
// mod_xml_curl bodies and json_cdr variables. Decoding must never throw, because FreeSWITCH
// passes non-UTF-8 bytes through (a Latin-1 caller name arrives as %E9). Only FreeSWITCH encodes;
// its encoder is modelled by the double (@pbx/freeswitch-double, src/urlencode.ts).

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

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}
