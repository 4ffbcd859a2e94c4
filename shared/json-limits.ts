import { invalid } from './errors'

/**
 * How deeply JSON may nest objects and arrays: a request body (http/json-body.ts checks the text
 * before parsing), a line of a JSON-lines data file, and a value a workflow writes into a context (the context as it would then be
 * stored). Deeper documents would overflow the stack of code that walks values recursively
 * (cloning, serialising, schema checks). Jackson, which Rill Flow and Linkis use, allows 1000
 * (StreamReadConstraints); JobDesk's walkers run on the main thread's smaller stack, and no real
 * context nests beyond a few dozen.
 */
export const MAX_JSON_DEPTH = 100

/** Throws an `invalid` error naming `field` when JSON `text` nests deeper than MAX_JSON_DEPTH: a request body (http/json-body.ts), a line of a JSON-lines data file (graph import and preview). */
export function checkJsonDepth(text: string, field = 'body'): void {
  if (jsonNestsTooDeep(text)) throw invalid('too_deep', `${field} nests deeper than ${MAX_JSON_DEPTH} levels`, field)
}

/** Whether JSON `text` nests objects and arrays deeper than MAX_JSON_DEPTH (one linear scan; strings skipped). */
export function jsonNestsTooDeep(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) i = closingQuote(text, i) // a string is skipped by indexOf, not walked (a 4 MB one took ~15 ms)
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return true
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return false
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
