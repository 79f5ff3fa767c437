import { fsUrlDecodeSafe } from './text.js';

/**
 * mod_xml_curl's urlencoded body. The first occurrence of a name wins, so a
 * later channel variable can never override the lookup keys that come first.
 */
export function parseForm(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = fsUrlDecodeSafe(eq < 0 ? pair : pair.slice(0, eq));
    if (out.has(name)) continue;
    out.set(name, eq < 0 ? '' : fsUrlDecodeSafe(pair.slice(eq + 1)));
  }
  return out;
}
