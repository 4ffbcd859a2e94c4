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

/** One of LIST_SEPARATORS at `text[i]`. */
const isSeparator = (text: string, i: number): boolean => i < text.length && LIST_SEPARATORS.includes(text[i])

/**
 * The text a spreadsheet reads for a cell that starts with the quote at `text[quote]` (RFC 4180: `""`
 * inside is one `"`, what follows the closing quote is taken as it is), up to the first list separator
 * after the closing quote. A tab or CR right after the quotes, while the cell is still empty, is kept:
 * a spreadsheet that does not split on it starts the cell with it.
 */
function quotedCell(text: string, quote: number): string {
  let cell = ''
  let i = quote + 1
  for (; i < text.length; i++) {
    if (text[i] !== '"') cell += text[i]
    else if (text[i + 1] === '"') (cell += '"'), i++
    else {
      i++
      break
    }
  }
  if (cell === '' && (text[i] === '\t' || text[i] === '\r')) return text.slice(i)
  for (; i < text.length && !isSeparator(text, i); i++) cell += text[i]
  return cell
}

/**
 * The cell that starts at `text[start]` and ends before the separator at `end` (or the end of the
 * text), made inert. A cell that is a quoted field, after spaces or not (` "=cmd"`), is what a
 * spreadsheet unquotes (quotedCell): when that is a formula, the `'` goes inside the quotes
 * (`"'=cmd"`), where the spreadsheet keeps it. Any other cell is neutralizeFormula's; an empty one
 * before a tab or CR gets a `'` (a spreadsheet splitting on something else starts the cell with it).
 */
function neutralizeCellAt(text: string, start: number, end: number): string {
  const cell = text.slice(start, end)
  const quote = /^ *"/.exec(cell)
  if (quote) {
    const at = quote[0].length // just after the opening quote, within `cell`
    const read = quotedCell(text, start + at - 1)
    return neutralizeFormula(read) === read ? cell : `${cell.slice(0, at)}'${cell.slice(at)}`
  }
  if (cell) return neutralizeFormula(cell)
  return text[end] === '\t' || text[end] === '\r' ? "'" : ''
}

/**
 * Text written unquoted (a text result set's lines, which Linkis writes as they are) made inert however a
 * spreadsheet splits it: a `'` goes in at its start and after every list separator (LIST_SEPARATORS) that
 * a formula character follows (`Oslo;=cmd` → `Oslo;'=cmd`), as OWASP asks for the cells an attacker
 * starts with a separator. A tab or CR is both: `\t\t=x` → `'\t'\t'=x`. Plain numbers (`a;-5`) stay. A
 * cell that starts with a quote is judged by what a spreadsheet reads once it takes the quotes off, and
 * the `'` goes inside them: `a;"=cmd"` → `a;"'=cmd"` (neutralizeCellAt).
 */
export function neutralizeCells(text: string): string {
  let out = ''
  for (let start = 0; ; ) {
    let end = start
    while (end < text.length && !isSeparator(text, end)) end++
    out += neutralizeCellAt(text, start, end)
    if (end >= text.length) return out
    out += text[end]
    start = end + 1
  }
}
