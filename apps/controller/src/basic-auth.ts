import { timingSafeEqual } from 'node:crypto';

/**
 * The Authorization check of every controller route (mod_xml_curl and mod_json_cdr send Basic auth): constant time
 * for a header of the right length. It runs for every lookup, so the header is compared through one buffer kept
 * for the purpose instead of a new Buffer per request (node:http hands header values over as latin1 strings: one
 * byte per character, so a header of the expected length fills the buffer exactly).
 */
export function basicAuthCheck(user: string, password: string): (header: string | undefined) => boolean {
  const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`, 'latin1');
  const got = Buffer.alloc(expected.length);
  return (header) => {
    if (header?.length !== expected.length) return false;
    got.write(header, 0, 'latin1');
    return timingSafeEqual(got, expected);
  };
}
