// CSV injection (OWASP "CSV Injection"): a spreadsheet opening a CSV runs a cell that starts with
// = + - @, a tab or a carriage return as a formula. Every CSV the product writes for a user to open
// (result-set exports of every dialect, the Graph page's table) passes its text cells through here.

/** The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/
/** A plain decimal number ("-5", "+1.5e3"): a spreadsheet reads it as that number, never as a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/**
 * A text cell as a CSV writes it so that no spreadsheet runs it: a value starting with `=`, `+`, `-`, `@`,
 * a tab or a carriage return gets a single quote in front (`=1+1` → `'=1+1`), as OWASP recommends; every
 * other text, and a text that is a plain number (`-5`), is returned as it is. Numbers (not text) never
 * come here: a negative number stays `-5`. Quoting for the CSV itself is the caller's, after this.
 */
export const neutralizeFormula = (text: string): string => (FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text)
