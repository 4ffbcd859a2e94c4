// A parsed JSON value carried from a worker thread to the main thread in pieces (#9 §2). Handed over
// whole (postMessage), its structured clone is read on the receiving thread in one go: a map of
// 240,000 keys took 0.8-1.1 s to receive, as long as parsing its text there (load 3.5-6, 2 cores).
// So the worker cuts the value into pieces of at most PIECE_NODES values each, written to bytes
// (v8.serialize) and transferred, which costs the receiver nothing; the main thread reads them back one
// piece per turn of its event loop (rebuildJson), each in a few tens of milliseconds. The scalars of a
// long list go as runs of JSON text, read back with JSON.parse and joined once when the list closes:
// one token each, 1,000,000 zeros took ~220 ms of the main thread's CPU to read back (v8.deserialize of
// three lists a token, and a list grown by push), as runs ~60 ms (load 3-14, 2 cores).
import { deserialize, serialize } from 'node:v8'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { jsonShapeWithinDepth, type JsonShape } from '../../shared/json-limits'

/**
 * A piece is closed once it holds this many values (maps, lists and scalars, each one); a value put
 * whole holds at most this many, so a piece at most twice it. Measured at load 15: a piece of 8,000
 * keys of one map read back in 10-40 ms.
 */
const PIECE_NODES = 8_000

/**
 * What a token of a piece does: a value put where the reader is (whole), or a map or list opened
 * there, or the innermost one closed, or a run of scalars appended to the innermost list (its value:
 * their JSON text, `[…]`).
 */
const PUT = 0
const OPEN_MAP = 1
const OPEN_LIST = 2
const CLOSE = 3
const APPEND = 4
/**
 * A map or list put whole as its JSON text, read back with JSON.parse: v8.deserialize makes lists
 * holey, which JSON.stringify writes ~5 times slower, and JSON.parse reads them ~3 times faster (200
 * lists of 5,000 zeros: deserialize 43 ms, stringify 30 ms; JSON.parse 16 ms, stringify 7 ms). For one
 * JSON text writes exactly (writesExactly); another is PUT.
 */
const PUT_TEXT = 5

/**
 * A run of at least this many scalars is kept as a part of its list of its own, joined when the list
 * closes; a shorter one is copied into the part it follows. Bounds a list's parts (a list of scalars
 * and maps taking turns) to a few thousand for a 4 MB body: one concat of them.
 */
const RUN_PART_MIN = 1024

/** One piece: parallel lists, one entry per token; `keys[i]` is the key in the map the token is in ('' in a list). */
interface Piece {
  ops: number[]
  keys: string[]
  values: unknown[]
}

/**
 * `value` (a parsed JSON value, nesting bounded: checkJsonShape) cut into pieces for rebuildJson:
 * each its bytes (v8.serialize) in an ArrayBuffer of its own, to transfer. A map or list of more than
 * PIECE_NODES values is opened, its members put (or opened) one by one, and closed; a smaller one is
 * put whole. For the worker that parsed it.
 */
export function splitJson(value: unknown): ArrayBuffer[] {
  const pieces: ArrayBuffer[] = []
  let piece: Piece = { ops: [], keys: [], values: [] }
  let nodes = 0
  const token = (op: number, key: string, v: unknown, weight: number) => {
    piece.ops.push(op)
    piece.keys.push(key)
    piece.values.push(v)
    nodes += weight
    if (nodes < PIECE_NODES) return
    pieces.push(bytesOf(piece))
    piece = { ops: [], keys: [], values: [] }
    nodes = 0
  }
  const walk = (key: string, v: unknown) => {
    const weight = nodesUpTo(v, PIECE_NODES)
    if (weight <= PIECE_NODES) {
      if (v !== null && typeof v === 'object' && writesExactly(v)) return token(PUT_TEXT, key, JSON.stringify(v), weight)
      return token(PUT, key, v, weight)
    }
    if (Array.isArray(v)) {
      token(OPEN_LIST, key, undefined, 1)
      let run: unknown[] = []
      const flush = () => {
        if (run.length) token(APPEND, '', JSON.stringify(run), run.length)
        run = []
      }
      for (const item of v) {
        // -0 is written `0` in JSON text and Infinity (`1e400` parsed) `null`: put as they are
        if ((item !== null && typeof item === 'object') || Object.is(item, -0) || item === Infinity || item === -Infinity) {
          flush()
          walk('', item)
        } else if (run.push(item) >= PIECE_NODES - nodes) flush() // the run fills the piece: closed with it
      }
      flush()
    } else {
      token(OPEN_MAP, key, undefined, 1)
      for (const k of Object.keys(v as object)) walk(k, (v as Record<string, unknown>)[k])
    }
    token(CLOSE, '', undefined, 0)
  }
  walk('', value)
  if (piece.ops.length) pieces.push(bytesOf(piece))
  return pieces
}

/**
 * The value splitJson cut into `pieces`, read back on this thread one piece per turn of the event
 * loop (so that its other work goes on between them): `copies` values, each built apart (no map or
 * list is shared between them; strings may be). `copies` 2 is for a value one part of which is kept
 * as it came and another changed (a submitted context: the job's input and its context). The copies
 * are built one after the other: a map of more than ~87,000 keys is rehashed as it grows (V8: 150-400
 * ms at once for 240,000 keys, load 15), and two such maps in one turn held it twice as long.
 */
export async function rebuildJson(pieces: ArrayBuffer[], copies: 1 | 2 = 1): Promise<unknown[]> {
  const roots: unknown[] = []
  for (let c = 0; c < copies; c++) {
    // the maps and lists being filled, innermost last
    const open: (Record<string, unknown> | OpenList)[] = []
    const place = (made: unknown, key: string) => {
      const into = open.at(-1)
      if (into === undefined) roots.push(made)
      else if (into instanceof OpenList) into.add(made)
      else into[key] = made // a `__proto__` key never comes here: parseClientJson refused it
    }
    for (let p = 0; p < pieces.length; p++) {
      if (p > 0 || c > 0) await nextTurn()
      const { ops, keys, values } = deserialize(new Uint8Array(pieces[p])) as Piece
      for (let i = 0; i < ops.length; i++) {
        const op = ops[i]
        if (op === PUT) place(values[i], keys[i])
        else if (op === PUT_TEXT) place(JSON.parse(values[i] as string), keys[i])
        else if (op === APPEND) (open.at(-1) as OpenList).append(JSON.parse(values[i] as string) as unknown[])
        else if (op === OPEN_LIST) open.push(new OpenList(keys[i]))
        else if (op === OPEN_MAP) {
          const map = {}
          place(map, keys[i])
          open.push(map)
        } else {
          const closed = open.pop()
          // a list is placed as it closes: nothing else went into its map or list meanwhile, so keys keep their order
          if (closed instanceof OpenList) {
            // a long one's join (1,000,000 members: 27-48 ms, more with a GC) in a turn of its own, not after this piece's tokens
            if (closed.parts.length > 1) await nextTurn()
            place(closed.joined(), closed.key)
          }
        }
      }
      if (c === copies - 1) pieces[p] = EMPTY // read for the last time: its bytes may go
    }
  }
  // and what the caller does with the value (a callback's engine step: 55-95 ms) in a turn of its own too
  await nextTurn()
  return roots
}

/**
 * A list being read back: its members in parts (the runs of scalars JSON.parse made, and lists of
 * the members between them), joined by one concat when it closes. Grown by push, a list of 1,000,000
 * took ~110 ms more; and a list v8.deserialize made is holey, which JSON.stringify writes ~25 times
 * slower than a packed one (V8: it looks up each hole's prototype): JSON.parse's and concat's are packed.
 */
class OpenList {
  readonly parts: unknown[][] = []
  /** Whether the last part is a list of this one's own, which members go on. */
  private loose = false

  /** `key`: where it goes in its map ('' in a list). */
  constructor(readonly key: string) {}

  /** Appends one member. */
  add(item: unknown): void {
    if (!this.loose) {
      this.parts.push([])
      this.loose = true
    }
    this.parts[this.parts.length - 1].push(item)
  }

  /** Appends a run of scalars (a list made for it alone: kept as a part when long). */
  append(run: unknown[]): void {
    if (run.length < RUN_PART_MIN) for (const item of run) this.add(item)
    else {
      this.parts.push(run)
      this.loose = false
    }
  }

  /** The list. */
  joined(): unknown[] {
    return this.parts.length === 1 ? this.parts[0] : ([] as unknown[]).concat(...this.parts)
  }
}

const EMPTY = new ArrayBuffer(0)

/** How many values `v` holds (itself included), counted up to just past `limit`. */
function nodesUpTo(v: unknown, limit: number): number {
  if (v === null || typeof v !== 'object') return 1
  let n = 1
  const stack: object[] = [v]
  while (stack.length) {
    const c = stack.pop()!
    for (const item of Array.isArray(c) ? c : Object.values(c)) {
      if (++n > limit) return n
      if (item !== null && typeof item === 'object') stack.push(item)
    }
  }
  return n
}

/** Whether JSON.parse of `JSON.stringify(v)` gives `v` back: no -0 (written `0`) nor ±Infinity (written `null`) in it. */
function writesExactly(v: object): boolean {
  const stack: object[] = [v]
  while (stack.length) {
    const c = stack.pop()!
    for (const item of Array.isArray(c) ? c : Object.values(c)) {
      if (typeof item === 'number') {
        if (Object.is(item, -0) || !Number.isFinite(item)) return false
      } else if (item !== null && typeof item === 'object') stack.push(item)
    }
  }
  return true
}

function bytesOf(piece: Piece): ArrayBuffer {
  const bytes = serialize(piece)
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer
}

/**
 * The JSON text of a long member (a list or map) of a parsed map, as JSON.stringify writes it, with
 * `nested`, the JsonShape of `[text]` (null past MAX_JSON_DEPTH): what a save of a map holding it
 * read-only needs of it (store/state-json.ts jsonFromReadOnlyParts), made off the main thread.
 */
export interface MemberText {
  key: string
  text: string
  nested: JsonShape | null
}

/** Members' texts shorter than this are left to the main thread's save (a few ms at most). */
const MEMBER_TEXT_MIN_CHARS = 64 * 1024

/**
 * The MemberText of each list or map member of `value` (a parsed map: none for anything else) of at
 * least MEMBER_TEXT_MIN_CHARS characters: for the worker that parsed it.
 */
export function memberTextsOf(value: unknown): MemberText[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return []
  const out: MemberText[] = []
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key]
    if (typeof v !== 'object' || v === null) continue
    const text = JSON.stringify(v)
    if (text.length >= MEMBER_TEXT_MIN_CHARS) out.push({ key, text, nested: jsonShapeWithinDepth(`[${text}]`) })
  }
  return out
}
