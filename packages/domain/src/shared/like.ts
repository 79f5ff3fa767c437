/**
 * Prisma hands `contains` / `startsWith` values to PostgreSQL's LIKE as they are, so a search for `%` or `_`
 * would match every row. Escaped with LIKE's default escape character, they match only themselves.
 */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}
