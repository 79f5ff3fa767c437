type Cell = string | number | boolean | Date | null | undefined;

/** RFC 4180 field; cells starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas. */
export function csvField(value: Cell): string {
  let s =
    value === null || value === undefined ? '' : value instanceof Date ? value.toISOString() : `${value}`;
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (values: Cell[]): string => `${values.map(csvField).join(',')}\r\n`;
