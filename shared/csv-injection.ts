// CSV injection (OWASP "CSV Injection"): a spreadsheet opening a CSV runs a cell that starts with
// = + - @, a tab or a carriage return as a formula. Every CSV the product writes for a user to open
// (result-set exports of every dialect, the Graph page's table) is written by csvField (shared/csv.ts),
// which passes its text cells through here.

/** The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/
/** A plain decimal number ("-5", "+1.5e3"): a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * The characters a spreadsheet may split an unquoted line on: `,` and `;` (the list separator of
 * most European locales, whatever separator the file was written with), tab, and line ends.
 */
export const LIST_SEPARATORS = ';,\t\r\n'

/**
 * A text cell as a CSV writes it so that no spreadsheet runs it: a value starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return gets a single quote in front (`=1+1` → `'=1+1`), as OWASP recommends; every
 * other text, and a text that is a plain number (`-5`), is returned as it is. Numbers (not text) never
 * come here: a negative number stays `-5`. Quoting for the CSV itself is the caller's, after this.
 */
export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text)

/**
 * Text written unquoted (a text result set's lines, which Linkis writes as they are) made inert however a
 * spreadsheet splits it: a `'` goes in at its start and after every list separator (LIST_SEPARATORS) that
 * a formula character follows (`Oslo;=cmd` → `Oslo;'=cmd`), as OWASP asks for the cells an attacker
 * starts with a separator. A tab or CR is both: `\t\t=x` → `'\t'\t'=x`. Plain numbers (`a;-5`) stay.
 */
export function neutralizeCells(text: string): string {
  const parts = text.split(/([;,\t\r\n])/) // cell, separator, cell, …
  let out = ''
  for (let k = 0; k < parts.length; k += 2) {
    const cell = parts[k]
    const next = parts[k + 1] ?? ''
    // an empty cell before a tab or CR starts with that tab or CR in a spreadsheet that splits on something else
    out += (cell ? neutralizeFormula(cell) : next === '\t' || next === '\r' ? "'" : '') + next
  }
  return out
}
