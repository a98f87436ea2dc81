/**
 * Cells a spreadsheet would run as a formula (starting with = + - @, tab or CR; OWASP "CSV injection") are written
 * with a leading apostrophe, which Excel and LibreOffice show as text. A cell that already starts with apostrophes
 * before such a character gets one more, so reading strips exactly one and every value comes back as it was;
 * other apostrophes ('Tis) are left alone both ways. Shared by the line export (main) and the console's CSV exports.
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED = /^'+[=+\-@\t\r]/;
export function guardFormula(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}
export function unguardFormula(cell: string): string {
  return GUARDED.test(cell) ? cell.slice(1) : cell;
}
