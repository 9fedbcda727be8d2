/**
 * CSV as RFC 4180 writes it (CRLF line ends; a field holding a comma, a double quote, CR or LF
 * in double quotes, its quotes doubled), with the OWASP defence against CSV injection: a cell
 * that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by a spreadsheet
 * as a formula, so it is prefixed with a single quote and read as text. A child's name is typed
 * by whoever recorded it, so every cell goes through here, dates and ids too.
 */
export function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return "";
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One record, CRLF-terminated. */
export const csvRow = (cells: (string | number | boolean | null | undefined)[]) => `${cells.map(csvCell).join(",")}\r\n`;
