/**
 * One CSV cell (RFC 4180 quoting). A leading = + - @ is prefixed with ' so a spreadsheet does not
 * run the cell as a formula. Dates are written as ISO 8601; other non-strings as JSON.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? '' : typeof value === 'string' ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
