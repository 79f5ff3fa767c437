import { stringify } from 'csv-stringify/sync';

type Cell = string | number | boolean | Date | null | undefined;

/**
 * One RFC 4180 record (CRLF) by csv-stringify; cells starting with = + - @ tab or CR are prefixed with ' so
 * spreadsheets do not run them as formulas (its `escape_formulas`).
 */
export const csvLine = (values: Cell[]): string =>
  stringify([values], {
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { date: (d) => d.toISOString(), boolean: (b) => String(b) },
  });
