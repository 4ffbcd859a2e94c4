import { AppError, invalid } from './errors'
import { formatCount } from './number-format'

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
 * How many keys (names of map members) one JSON text may hold where keys are what costs, counted two
 * ways, each held to this bound: its DISTINCT key names (all maps together), and the keys of its WIDE
 * maps (those of more than WIDE_MAP_KEYS keys, all of them together, each map's counted). The byte and
 * container limits do not bound them: one map of 400,000 keys is 4 MB and one container (atk32).
 * What costs is not members as such: V8 parses, copies and writes out lists of numbers and records of
 * the same few fields at 0.1-0.3 µs a member, but each new key name (a new object shape) and each key
 * of a map too wide for a shape (a hash table) at 3-5 µs (measured, CPU ms, load 14-24 on 2 cores, 400,000
 * keys: one map parse 745 + copy 783 + stringify 352; 4 maps of 100,000 same keys 573 + 559 + 263;
 * 20,000 maps of 20 distinct keys 646 + 595 + 45; 20,000 maps of the same 20 keys 31 + 47 + 11; 1
 * million numbers 68 + 53 + 18). So elements and repeated keys are not counted: 4 MB of real records
 * (hundreds of thousands of maps of a few fields) pass as before, as do 4 MB of numbers. 200,000: a
 * lookup map of 200,000 ids and a record schema of any real width pass (0.3-0.8 s of work at the bound
 * on a busy machine, what MAX_JSON_CONTAINERS lets real bodies cost); one map of 240,000 or 400,000
 * keys, or 400,000 made-up key names, does not.
 */
export const MAX_JSON_KEYS = 200_000

/**
 * Maps of more keys than this are WIDE (MAX_JSON_KEYS): V8 keeps up to about a thousand named
 * properties in a shape shared by maps of the same keys, and wider maps as hash tables of their own.
 */
export const WIDE_MAP_KEYS = 1000

/** What checkJsonShape found over a limit, or nothing. */
type ShapeProblem = 'too_deep' | 'containers' | 'distinct_keys' | 'wide_keys' | undefined

/**
 * Checks JSON `text` before it is parsed (one linear scan; strings skipped): throws an `invalid`
 * error (400, code too_deep) naming `field` when it nests deeper than MAX_JSON_DEPTH, a `too_large`
 * one (413, code too_many_containers) when it holds more than MAX_JSON_CONTAINERS lists and maps,
 * and a `too_large` one (413, code too_many_keys) when it holds more than MAX_JSON_KEYS distinct key
 * names, or more than MAX_JSON_KEYS keys in maps of more than WIDE_MAP_KEYS keys. For a request body
 * and a JSON parameter (http/json-body.ts, client-json.ts), a function's answer (executors/http-answer.ts),
 * a descriptor's JSON constants (rillflow/mappings.ts) and a line of a JSON-lines data file.
 */
export function checkJsonShape(text: string, field = 'body'): JsonShape {
  const shape = scanJson(text, true)
  if (shape.problem === 'too_deep') throw invalid('too_deep', `${field} nests deeper than ${MAX_JSON_DEPTH} levels`, field)
  if (shape.problem === 'containers') {
    throw new AppError('too_large', 'too_many_containers', `${field} holds more than ${formatCount(MAX_JSON_CONTAINERS)} lists and maps (JSON arrays and objects), the most one JSON text may hold`, { field })
  }
  const keys = formatCount(MAX_JSON_KEYS)
  if (shape.problem === 'distinct_keys') {
    throw new AppError('too_large', 'too_many_keys', `${field} holds more than ${keys} different keys (names of JSON object members), the most one JSON text may hold`, { field })
  }
  if (shape.problem === 'wide_keys') {
    throw new AppError('too_large', 'too_many_keys', `${field} holds more than ${keys} keys in JSON objects of over ${formatCount(WIDE_MAP_KEYS)} keys each, the most one JSON text may hold`, { field })
  }
  return { nodes: shape.nodes, containers: shape.containers }
}

/**
 * What a JSON text holds, counted without parsing it: `nodes`, its values (scalars, lists and maps,
 * each one) and its maps' keys; `containers`, its lists and maps. What the held-work bound weighs a
 * parsed value by (shared/quotas.ts heldJsonWeight): its heap depends on these, not on its characters.
 */
export interface JsonShape {
  nodes: number
  containers: number
}

/**
 * The JsonShape of JSON `text` (one linear scan, strings skipped: 9-15 ms of CPU for 4 MB), for a text
 * whose parse or save did not count it (checkJsonShape and jsonShapeWithinDepth return it). Not a
 * validation: text that is not JSON gets some count, as JSON.parse then refuses it; counting stops
 * past MAX_JSON_DEPTH, where no text is stored.
 */
export function jsonShapeOf(text: string): JsonShape {
  const { nodes, containers } = scanJson(text, false, true)
  return { nodes, containers }
}

/**
 * The JsonShape of JSON `text` (jsonShapeOf), or null when it nests deeper than MAX_JSON_DEPTH
 * (jsonNestsTooDeep, in the same scan): for state saved as JSON (store/state-json.ts).
 */
export function jsonShapeWithinDepth(text: string): JsonShape | null {
  const { problem, nodes, containers } = scanJson(text, false, true)
  return problem === 'too_deep' ? null : { nodes, containers }
}

/**
 * How many lists and maps (JSON arrays and objects) `text` holds, counted to just past
 * MAX_JSON_CONTAINERS (and only up to the first level past MAX_JSON_DEPTH; keys are not counted:
 * checkJsonShape first): for several texts that become one value together (a descriptor's
 * defaultContext values, one context).
 */
export function countJsonContainers(text: string): number {
  return scanJson(text, false).containers
}

/** Whether JSON `text` nests objects and arrays deeper than MAX_JSON_DEPTH (one linear scan; strings skipped). */
export function jsonNestsTooDeep(text: string): boolean {
  return scanJson(text, false).problem === 'too_deep'
}

/**
 * Counts the `[` and `{` of JSON `text` outside strings (its lists and maps, as the text parses) and
 * follows their nesting, and with `keys` their keys (a string followed by `:`): one pass over the
 * characters, strings skipped by indexOf (~15-40 ms for 4 MB at load 8); a key's name is kept (a Set)
 * only to count distinct names (200,000 names: ~130 ms more at load 17, so only checkJsonShape counts
 * them, not the depth check of every state saved). Stops at the first limit passed (MAX_JSON_DEPTH,
 * MAX_JSON_CONTAINERS unless `all`, with `keys` MAX_JSON_KEYS either way), naming it. Counts the
 * nodes (JsonShape) on the way: what it has passed when it stops.
 */
function scanJson(text: string, keys: boolean, all = false): { problem: ShapeProblem; containers: number; nodes: number } {
  let depth = 0
  let containers = 0
  // values: the top one, and one more for each comma and each list or map that is not empty (its
  // first member); keys: each `:` in a map. Nodes are their sum.
  let nodes = 1
  let opened = false // a `[` or `{` was the last character but whitespace: is the container empty?
  // keys of the map open at each depth (-1: a list), and of the wide maps closed so far
  const width = new Int32Array(MAX_JSON_DEPTH + 1)
  let wideKeys = 0
  let names: Set<string> | undefined
  let keyStart = -1 // the last string outside a string: a key when a `:` follows it
  let keyEnd = -1
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (opened && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
      opened = false
      if (c !== 0x5d && c !== 0x7d) nodes++
    }
    if (c === 0x22) {
      keyStart = i
      i = closingQuote(text, i) // a string is skipped by indexOf, not walked (a 4 MB one took ~15 ms)
      keyEnd = i
    } else if (c === 0x2c) {
      nodes++
    } else if (c === 0x3a) {
      nodes++
      if (!keys || depth === 0 || width[depth] < 0 || keyStart < 0) continue // keys not counted, or not JSON (JSON.parse says so)
      const wide = ++width[depth]
      if (wide > WIDE_MAP_KEYS && wideKeys + wide > MAX_JSON_KEYS) return { problem: 'wide_keys', containers, nodes }
      ;(names ??= new Set()).add(text.slice(keyStart + 1, keyEnd))
      if (names.size > MAX_JSON_KEYS) return { problem: 'distinct_keys', containers, nodes }
      keyStart = -1
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) return { problem: 'too_deep', containers, nodes }
      if (++containers > MAX_JSON_CONTAINERS && !all) return { problem: 'containers', containers, nodes }
      width[depth] = c === 0x7b ? 0 : -1
      opened = true
    } else if (c === 0x5d || c === 0x7d) {
      if (depth > 0 && width[depth] > WIDE_MAP_KEYS) wideKeys += width[depth]
      depth--
    }
  }
  return { problem: undefined, containers, nodes }
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
