import { AppError, invalid } from './errors'

/**
 * How deeply JSON may nest objects and arrays: a request body (http/json-body.ts checks the text
 * before parsing), a line of a JSON-lines data file, and a value a workflow writes into a context (the context as it would then be
 * stored). Deeper documents would overflow the stack of code that walks values recursively
 * (cloning, serialising, schema checks). Jackson, which Rill Flow and Linkis use, allows 1000
 * (StreamReadConstraints); JobDesk's walkers run on the main thread's smaller stack, and no real
 * context nests beyond a few dozen.
 */
export const MAX_JSON_DEPTH = 100

/**
 * How many lists and maps (JSON arrays and objects, all levels together) one JSON text may hold: a
 * request body, a JSON parameter (http/json-body.ts), a line of a JSON-lines data file. The byte
 * limit does not bound them: parsing a container and copying it (the submitted context is copied,
 * value-budget.ts copyContainers) costs what a whole small value does, so 4 MB of `[],` is 1.3
 * million of them and held the main thread 1.7-2.8 s (atk29), where a 4 MB string takes ~50 ms.
 * The limit is set from what real bodies hold and what the limit itself costs, measured on a Rill
 * Flow submit (parse and copy, load 7-11 on 2 cores): 4 MB (BODY_LIMITS.content) of typical records
 * (20-40 bytes, `{"id":12345,"name":"item 12345"}`) is 100-200k of them, a foreach over 100k such
 * items held the main thread 0.3-0.7 s, and 300,000 one-field maps (2.4 MB, the largest context the
 * tests submit) 0.5-0.9 s. Empty lists held it 0.2-0.5 s at 300,000, but 0.5-1.3 s at 500,000
 * (what 4 MB holds of `{"a":1},`). So 320,000: every such real body passes, and a hostile one at the
 * limit costs no more than they do. Only bodies mostly of empty or one-scalar lists and maps are refused.
 */
export const MAX_JSON_CONTAINERS = 320_000

/**
 * Checks JSON `text` before it is parsed (one linear scan; strings skipped): throws an `invalid`
 * error (400, code too_deep) naming `field` when it nests deeper than MAX_JSON_DEPTH, and a
 * `too_large` one (413, code too_many_containers) when it holds more than MAX_JSON_CONTAINERS lists
 * and maps. For a request body (http/json-body.ts) and a line of a JSON-lines data file (graph
 * import and preview).
 */
export function checkJsonShape(text: string, field = 'body'): void {
  const shape = scanJson(text)
  if (shape.tooDeep) throw invalid('too_deep', `${field} nests deeper than ${MAX_JSON_DEPTH} levels`, field)
  if (shape.containers > MAX_JSON_CONTAINERS) {
    throw new AppError('too_large', 'too_many_containers', `${field} holds more than ${MAX_JSON_CONTAINERS.toLocaleString('en-US')} lists and maps (JSON arrays and objects), the most one JSON text may hold`, { field })
  }
}

/**
 * How many lists and maps (JSON arrays and objects) `text` holds, counted to just past
 * MAX_JSON_CONTAINERS (and only up to the first level past MAX_JSON_DEPTH: checkJsonShape first): for
 * several texts that become one value together (a descriptor's defaultContext values, one context).
 */
export function countJsonContainers(text: string): number {
  return scanJson(text).containers
}

/** Whether JSON `text` nests objects and arrays deeper than MAX_JSON_DEPTH (one linear scan; strings skipped). */
export function jsonNestsTooDeep(text: string): boolean {
  return scanJson(text).tooDeep
}

/**
 * Counts the `[` and `{` of JSON `text` outside strings (its lists and maps, as the text parses) and
 * follows their nesting: one pass over the characters, strings skipped by indexOf (~15-40 ms for 4 MB
 * at load 8). Stops, `tooDeep`, at the first level past MAX_JSON_DEPTH, and past MAX_JSON_CONTAINERS.
 */
function scanJson(text: string): { tooDeep: boolean; containers: number } {
  let depth = 0
  let containers = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) i = closingQuote(text, i) // a string is skipped by indexOf, not walked (a 4 MB one took ~15 ms)
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return { tooDeep: true, containers }
      if (++containers > MAX_JSON_CONTAINERS) return { tooDeep: false, containers }
    } else if (c === 0x5d || c === 0x7d) depth--
  }
  return { tooDeep: false, containers }
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
