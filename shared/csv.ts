// The one CSV field writer: every CSV the product writes (result-set exports of the native API and the
// Linkis dialect, in or out of the export worker; the Graph page's table) quotes and neutralises here.
import { neutralizeFormula } from './csv-injection'

/** How fields are quoted: the file's separator, and Linkis's quoteAll / keepNewline. */
export interface CsvFieldRules {
  /** One to four characters; never a quote or a line break. */
  separator: string
  /** Quote every non-blank value (Linkis quoteRetouchEnable). */
  quoteAll?: boolean
  /** Keep line breaks inside values (then quoted); false: each becomes a space (Linkis keepNewline=false). Default true. */
  keepNewline?: boolean
}

/** A field that holds a list separator of any locale (csv-injection's LIST_SEPARATORS) or a quote is quoted. */
const NEEDS_QUOTES = /[;,\t\r\n"]/
/** Space at either end of a value that is not all space (a blank value stays unquoted, as Linkis writes it). */
const EDGE_SPACE = /^\s+\S|\S\s+$/

/**
 * One CSV field (RFC 4180). `value` is a text cell when it is a string: it is neutralised
 * (neutralizeFormula, `=1+1` → `'=1+1`); any other value is written as `text` (the caller's cell text,
 * e.g. a number `-5` stays `-5`). The field is quoted, inner quotes doubled, when it holds the file's
 * separator, any locale's list separator (`;`, `,`, tab), a line end or `"`, or space at an end of a non-blank value, or
 * when quoteAll asks it: Excel opens a `,`-written file with `;` as separator in most European locales,
 * and an unquoted `Oslo;=cmd|…` would start a cell with a formula there (OWASP CSV injection).
 */
export function csvField(value: unknown, text: (v: unknown) => string, rules: CsvFieldRules): string {
  let out = typeof value === 'string' ? neutralizeFormula(value) : text(value)
  if (rules.keepNewline === false) out = out.replace(/\r?\n/g, ' ')
  const needsQuotes = out.includes(rules.separator) || NEEDS_QUOTES.test(out) || EDGE_SPACE.test(out) || (rules.quoteAll === true && out.trim() !== '')
  return needsQuotes ? `"${out.replace(/"/g, '""')}"` : out
}
