// The nesting check JSON from clients passes before it is parsed: the HTTP bodies (http/json-body.ts)
// and the lines of JSON-lines data files (graph import and preview), whose readers walk values
// recursively and would overflow their stack on a line nested 400,000 deep.
import { invalid } from './errors'

/**
 * How deeply JSON from a client (a request body, a line of a JSON-lines data file) may nest objects
 * and arrays. Deeper documents are refused before parsing:
 * code that walks values recursively (cloning, serialising, schema checks) would overflow the stack
 * on them. Jackson, which Rill Flow and Linkis use, allows 1000 (StreamReadConstraints); JobDesk's
 * walkers run on the main thread's smaller stack, and no real context nests beyond a few dozen.
 */
export const MAX_JSON_DEPTH = 100

/** Throws an `invalid` error naming `field` when `text` nests deeper than MAX_JSON_DEPTH (one linear scan; strings skipped). */
export function checkJsonDepth(text: string, field = 'body'): void {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) i = closingQuote(text, i) // a string is skipped by indexOf, not walked (a 4 MB one took ~15 ms)
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) throw invalid('too_deep', `${field} nests deeper than ${MAX_JSON_DEPTH} levels`, field)
    } else if (c === 0x5d || c === 0x7d) depth--
  }
}

/** The index of the `"` that closes the JSON string opening at `open` (past the end when it is not closed). */
function closingQuote(text: string, open: number): number {
  for (let from = open + 1; ; ) {
    const quote = text.indexOf('"', from)
    if (quote < 0) return text.length
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === 0x5c) backslashes++
    if (backslashes % 2 === 0) return quote
    from = quote + 1
  }
}
