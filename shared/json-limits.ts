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
 * 500,000 is what the largest body (4 MB, BODY_LIMITS.content) holds of the smallest container with
 * anything in it, `{"a":1},` (8 bytes: 4 MiB / 8 = 524,288), and 500,000 one-field maps are the
 * 1,000,000 values a mapping may copy at once (VALUE_LIMITS.maxNodes). So every body of real data
 * passes (a foreach over 100k items of small objects is ~100k; 300k one-field maps, 2.4 MB, pass),
 * and only one made mostly of empty lists and maps is refused: at the limit such a body costs the
 * main thread no more than the densest real one (measured ~0.5-0.7 s parse and copy together at
 * load 8 on 2 cores, against 3.5-5 s for 1.3 million).
 */
export const MAX_JSON_CONTAINERS = 500_000

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
