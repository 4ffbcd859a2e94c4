// Budgets of mapping work. A bounded deep copy of JSON-like data: values a mapping writes into the
// context are copies (the context round-trips through JSON upstream), and a copy is where a hostile
// value shows its true size: a list that holds itself, or 30 levels of `seq.list(a, a)` (a few dozen
// objects in memory, 2^30 once written out). Copying stops at the first limit instead of freezing
// the process. And the work of one mapping pass (PassBudget): its transforms share one step budget,
// its JSONPath reads and writes one budget of nodes visited, its copies one size budget, and a copy
// that would make the context too large to store is refused before it is built.

import { PATH_WORK_LIMIT, PathWork } from './jsonpath/work' // not the index: jsonpath/write.ts copies with copyContainers
import { deepFreeze } from '../../read-only'
import { setOwn } from './safe-keys'
import { jsonEscapedLength } from '../../json-bytes'
import { formatCount } from '../../../shared/number-format'

/** How big one copied value may be. */
export const VALUE_LIMITS = {
  /** Elements: the scalars, lists and maps inside the value (not the value itself), each counted once per place it appears. */
  maxNodes: 1_000_000,
  /** UTF-8 bytes of JSON the value writes out to (Size.bytes: JSON.stringify's, encoded). */
  maxBytes: 16 << 20,
  /** Levels of lists and maps inside each other. */
  maxDepth: 500,
} as const

/** A value over VALUE_LIMITS, or one that contains itself. */
export class ValueTooLargeError extends Error {
  /** `size`: what was measured of a value over maxNodes or maxBytes (none for one that contains itself or is too deep). */
  constructor(message: string, readonly size?: Size) {
    super(message)
    this.name = 'ValueTooLargeError'
  }
}

/**
 * Copies lists and plain maps (other values are returned as they are, like JSON scalars), calling
 * `onContainer` with each new list or map. Throws ValueTooLargeError, before copying anything,
 * when the copy would pass a limit of VALUE_LIMITS or the value contains itself. The value is
 * measured first with each distinct list or map measured once, so one that is small in memory but
 * huge when written out (shared by aliasing) fails at once, and the copy is bounded by the limits.
 */
export function cloneWithin(value: unknown, onContainer?: (copy: object) => void): unknown {
  measureWithin(value)
  return copy(value, onContainer)
}

/** measureJson, throwing ValueTooLargeError when the value passes a limit of VALUE_LIMITS. */
function measureWithin(value: unknown, memo?: SizeMemo): Size {
  const size = measureJson(value, memo)
  if (elementsOf(size) > VALUE_LIMITS.maxNodes || size.bytes > VALUE_LIMITS.maxBytes) tooLarge(size)
  return size
}

/**
 * The size a value would have written out: elements and UTF-8 bytes, each distinct list or map
 * measured once. Throws ValueTooLargeError for a value that contains itself or is nested too deeply.
 * `memo` keeps the sizes measured for later calls over the same, unchanged data (a PassBudget's);
 * after a throw it holds half-measured entries and must be dropped.
 */
export function measureJson(value: unknown, memo: SizeMemo = new Map()): Size {
  if (typeof value === 'object' && value !== null) return sizeOf(value, memo, 0, true)
  return { nodes: 1, bytes: scalarLength(value, true) }
}

/**
 * UTF-8 bytes of JSON a scalar writes out to (a number or a literal is ASCII: one byte a character): a
 * string with its quotes and escapes (stringLength), a
 * number as JSON.stringify writes it (`1.2345678901234567e+300`: 23), `true`, `false`, `null` (also
 * what a non-finite number, undefined or a function writes in a list). Integers below 1e9 are counted
 * without making their text (the common case, at every element of contexts of megabytes); another
 * number's text is made (some 250 ns for a distinct fraction, 1 million of them ~0.3 s at load 13:
 * about what JSON.stringify takes for them), unless `exact` is false: then it counts 1, a lower bound.
 */
function scalarLength(x: unknown, exact: boolean): number {
  switch (typeof x) {
    case 'string':
      return stringLength(x)
    case 'number': {
      if (x >= 0 && x < 1e9 && Number.isInteger(x)) return x < 10 ? 1 : x < 100 ? 2 : x < 1000 ? 3 : x < 1e4 ? 4 : x < 1e5 ? 5 : x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : 9
      if (!exact) return 1
      return Number.isFinite(x) ? String(x).length : 4
    }
    case 'boolean':
      return x ? 4 : 5
    case 'bigint':
      return String(x).length
    default:
      return 4 // null; undefined, a function or a symbol: `null` in a list
  }
}

/**
 * UTF-8 bytes of JSON a string writes out to, with its quotes and its escapes (json-bytes.ts
 * jsonEscapedLength), counted without making its text: `"\u0001"` is 8, where counting its characters
 * said 3 (260,000 of them mapped 8 times made a 12.5 MB context of a "2 MB" one, #9); `"中"` is 5, an
 * emoji 4 bytes, a lone surrogate its 6-byte escape, as upstream's ContextDAO counts the bytes it stores.
 */
function stringLength(s: string): number {
  return jsonEscapedLength(s) + 2
}

/** The elements of a measured value (VALUE_LIMITS.maxNodes): the values inside it, not the value itself. */
const elementsOf = (size: Size): number => Math.max(0, size.nodes - 1)

/** Sizes of measured lists and maps (those holding others, or long: FLAT_MEMO_MIN); null while one is being measured. */
type SizeMemo = Map<object, Size | null>

/** Elements past which a list or map holding only scalars is remembered once measured (sizeOf). */
const FLAT_MEMO_MIN = 64

function tooLarge(size: Size): never {
  const { maxNodes, maxBytes } = VALUE_LIMITS
  throw new ValueTooLargeError(
    elementsOf(size) > maxNodes
      ? `the value has more than ${maxNodes} elements (${elementsOf(size)} lists, maps and scalars inside it)`
      : `the value has more than ${maxBytes} bytes of JSON (at least ${size.bytes} written out)`,
    size,
  )
}

export interface Size {
  /** Scalars, lists and maps: the value itself and every value inside it. */
  nodes: number
  /**
   * UTF-8 bytes of compact JSON (JSON.stringify's) the value writes out to: numbers, `true`, `false`
   * and `null` as written, strings and keys with their quotes and escapes (`\n`, `\"`, `\u0001`, a
   * lone surrogate's `\ud800`), `:` and `,`, brackets. Bytes, not characters: `中` counts 3, an emoji
   * 4, as upstream's ContextDAO.checkContextLength counts the bytes of the context it stores.
   */
  bytes: number
}

/**
 * The UTF-8 bytes of JSON a value of `size` writes out to (Size.bytes): at least the characters
 * store/state-json.ts counts of the real text, so a value refused here would not have been stored either.
 */
export const jsonLengthOf = (size: Size): number => size.bytes

/**
 * The written-out size of a container. Lists and maps that hold other lists or maps, or more than
 * FLAT_MEMO_MIN elements, are measured once each (remembered in `measured`), which also finds cycles;
 * small flat ones are cheap to count again. `exact`: numbers by their text (scalarLength).
 */
function sizeOf(v: object, measured: SizeMemo, depth: number, exact: boolean): Size {
  const shared = sharedSizes.get(v) // a shared constant (shareReadOnly): measured once
  if (shared) return shared
  const known = measured.get(v)
  if (known === null) throw new ValueTooLargeError('the value contains itself')
  if (known) return known
  if (depth >= VALUE_LIMITS.maxDepth) throw new ValueTooLargeError(`the value is nested more than ${VALUE_LIMITS.maxDepth} levels deep`)
  // plain loops, no closure per container: this runs on every copy, over contexts of megabytes
  const list = Array.isArray(v)
  const keys = list ? undefined : Object.keys(v)
  const n = keys ? keys.length : (v as unknown[]).length
  let nodes = 1 + n
  // brackets, and a comma after each element written (one too many: taken back below)
  let bytes = 2
  let written = 0
  let inner = false
  for (let i = 0; i < n; i++) {
    let x: unknown
    if (keys) {
      x = (v as Record<string, unknown>)[keys[i]]
      // JSON.stringify leaves out a key whose value is undefined, a function or a symbol
      const t = typeof x
      if (t === 'undefined' || t === 'function' || t === 'symbol') continue
      bytes += stringLength(keys[i]) + 1 // with its quotes and colon
    } else x = (v as unknown[])[i]
    written++
    if (typeof x === 'string') bytes += stringLength(x)
    else if (typeof x !== 'object' || x === null) bytes += scalarLength(x, exact)
    else {
      if (!inner) measured.set(v, null) // being measured: met again below, it is a cycle
      inner = true
      const size = sizeOf(x, measured, depth + 1, exact)
      nodes += size.nodes - 1
      bytes += size.bytes
    }
  }
  if (written > 0) bytes += written - 1
  const size = { nodes, bytes }
  // a long flat list is remembered too: its numbers' text is not cheap (a pass copying one 20 times measures it once)
  if (inner || n > FLAT_MEMO_MIN) measured.set(v, size)
  return size
}

/**
 * A plain deep copy; only called on values sizeOf accepted (finite, bounded). With `memo` (the sizes
 * sizeOf measured of `v`), each copied container that was measured gets the same size there: a pass
 * that writes a copy of the context into the context and then copies the context again measures the
 * first copy without walking it (a chain that doubles its context did so at every step, #9 §2). With
 * `share`, a frozen list or map (a shared constant: shareReadOnly) is the copy itself, not copied.
 */
function copy(v: unknown, onContainer: ((copy: object) => void) | undefined, memo?: SizeMemo, share = false): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (share && isReadOnly(v)) return v
  let out: Record<string, unknown> | unknown[]
  if (Array.isArray(v)) {
    out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], onContainer, memo, share)
  } else {
    out = {}
    for (const k of Object.keys(v)) {
      setOwn(out, k, copy((v as Record<string, unknown>)[k], onContainer, memo, share))
    }
  }
  onContainer?.(out)
  const size = memo?.get(v)
  if (size) memo!.set(out, size)
  return out
}

/**
 * Sizes of the read-only values mapping writes share (shareReadOnly), measured once: a frozen list or
 * map is never changed, so its size holds for as long as it lives.
 */
const sharedSizes = new WeakMap<object, Size>()

/**
 * Whether `v` is a read-only (frozen) list or map, written into only through a copy: a shared constant
 * (shareReadOnly: known at once) or another frozen one (a stored part read back, store/jobs/job-parts.ts).
 * Object.isFrozen walks every key of a map kept as a dictionary (one of 95,000 keys: ~3.6 ms at load 12),
 * and each foreach item's mappings, charge and save asked it of the constant they share several times.
 */
export function isReadOnly(v: unknown): v is object {
  return typeof v === 'object' && v !== null && (sharedSizes.has(v) || Object.isFrozen(v))
}

/**
 * Makes `value` (a parsed JSON list or map nothing else holds yet: a descriptor's constant, parsed
 * once and cached, mappings.ts) read-only and shared: it and every list and map in it are frozen, and
 * its size is measured once. From then on a mapping that writes it (PassBudget.copyFor) writes the
 * value itself, not a copy, and a later write into it copies the lists and maps on its way first
 * (jsonpath/write.ts: copy on write), so a run's cost does not grow with the constant's size (a
 * foreach of 6 copying one map of 95,000 keys for each item held the event loop 2.4 s at load 11).
 * Throws ValueTooLargeError as measureJson does (a value that deep is refused where it was read).
 * Returns `value`.
 */
export function shareReadOnly<T extends object>(value: T): T {
  const size = measureJson(value)
  deepFreeze(value, VALUE_LIMITS.maxDepth) // depth bounded by measureJson
  sharedSizes.set(value, size)
  return value
}

/**
 * A copy of the lists and maps of `value` that shares its read-only ones (shareReadOnly: written into
 * only through a copy, jsonpath/write.ts), unbounded as copyContainers: for a value already bounded (a
 * task's input copied into each sub-context of a foreach or a choice, where a shared constant of
 * 95,000 keys was copied for every item).
 */
export function copySharingReadOnly(value: unknown): unknown {
  return copy(value, undefined, undefined, true)
}

/**
 * What saving `value` as JSON costs the engine's tick (engine/budget.ts: bytes of JSON stored),
 * found without serializing it: its bytes of JSON (Size.bytes), and 20 for each element. Elements, not characters,
 * are what JSON.stringify and the checks of a save spend their time on (a map of 95,000 keys, 0.95 MB,
 * 190,000 elements: 52 ms quiet, what TICK_MAX_BYTES of plain text takes, 40-110 ms; a 4 MB string: a
 * few), so a context of such a map counts 4.3 MB: one a tick (six of them, one foreach item each, had
 * been saved in one commit; at 16 an element, two a tick took 300 ms at load 5.5). A shared constant in
 * it is measured once (shareReadOnly); a value that cannot be measured counts 0 (its save fails with the reason).
 */
export function saveCharge(value: unknown): number {
  try {
    // numbers other than small integers count 1 character here: an estimate of work, not a bound, and their text is not cheap
    const size = typeof value === 'object' && value !== null ? sizeOf(value, new Map(), 0, false) : measureJson(value)
    return size.bytes + 20 * size.nodes
  } catch {
    return 0
  }
}

/**
 * A copy of the lists and maps of `value`; its strings and other scalars, which cannot be changed, are
 * shared (a 4 MB string costs nothing to copy). Unbounded: only for data bounded already, such as a
 * parsed request body: its size, depth and count of lists and maps (MAX_JSON_CONTAINERS, 320,000) are
 * limited where it was received, so a copy makes at most that many containers and walks at most one
 * element per two bytes of body (a 4 MB body: ~0.1-0.4 s at load 7-10). Keys, which copy slowest
 * (one map of 240,000: 0.3-0.7 s), are bounded there too (MAX_JSON_KEYS, 200,000 distinct names or keys of wide maps).
 * A `__proto__` key stays an own key.
 */
export function copyContainers(value: unknown): unknown {
  return copy(value, undefined)
}

/** What one mapping pass may do, all its mappings together (PassBudget). */
export const PASS_LIMITS = {
  /**
   * Aviator steps of all the pass's transforms together: what one transform may take on its own
   * (100,000, some 10-40 ms of script), as the pass runs inside one engine tick or one request.
   * Thousands of ordinary transforms (a few dozen steps each) fit; a second endless one does not.
   */
  maxSteps: 100_000,
  /**
   * Nodes the JSONPath sources and targets of the pass may visit together (jsonpath/work.ts): what
   * one evaluation may, some 15-60 ms of walking. A chain of deep scans reaches nodes by the
   * million; 300 mappings each just under a limit of their own would hold the thread 300 times.
   */
  maxPathNodes: PATH_WORK_LIMIT,
  /**
   * Copies the pass makes (each transform's copy of its source, each value written), in UTF-8 bytes
   * of JSON they write out to at least (jsonLengthOf): twice the 4 MB a client may submit as a context.
   */
  maxCopiedBytes: 8 << 20,
  /**
   * The most UTF-8 bytes of JSON (upstream's ContextDAO counts bytes) mapping copies may grow a context (or a group's sub-context) to,
   * 2 MB (Temporal's limit for one payload), or past the size it had, if it was larger (a large
   * submitted context may be rewritten, not grown). A context is saved whole whenever a task
   * changes it, and read whole by every get.json: at 3 MB and more each save and read holds the
   * main thread hundreds of milliseconds on a busy machine. A task's input and output are not
   * kept across tasks; the store's cap (16 MB) bounds them and what tasks return.
   */
  maxGrownBytes: 2 << 20,
  /**
   * Bytes a pass copies into one context after which it measures the context and follows its
   * size (to keep it under maxGrownBytes): smaller copies cannot grow it by much, and measuring a
   * large context for every small write would cost more than the writes.
   */
  followAfterBytes: 256 << 10,
} as const

/** A mapping pass has used up its budget (PASS_LIMITS): the pass stops; it is never tolerated. */
export class PassBudgetError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PassBudgetError'
  }
}

/**
 * A mapping pass's write would take a context (or a group's sub-context, or another stored root) past
 * the size it may grow to (PASS_LIMITS.maxGrownBytes): a PassBudgetError that says by how much, so a
 * wakeup can refuse it as upstream's ContextDAO.checkContextLength refuses a context too long.
 */
export class ContextGrowthError extends PassBudgetError {
  /**
   * @param bytes the UTF-8 bytes of JSON the context would reach with the write
   * @param limit the most it may reach (bytes)
   */
  constructor(message: string, readonly bytes: number, readonly limit: number) {
    super(message)
    this.name = 'ContextGrowthError'
  }
}

/**
 * A pool of Aviator steps shared by several runs (budget option of evaluateAviator): `spendSteps`
 * throws PassBudgetError, naming `what` and `limit`, once they together took more than `limit`.
 */
export class StepPool {
  private left: number
  /** `what`: the runs that share it, as the error names them ("the transforms of one mapping pass"). */
  constructor(private readonly what: string, readonly limit: number) {
    this.left = limit
  }

  /** Spends `n` steps; throws PassBudgetError when the pool has none left. */
  spendSteps(n: number): void {
    this.left -= n
    if (this.left < 0) throw new PassBudgetError(`${this.what} may take ${this.limit} steps together, and they are used up`)
  }
}

/** Where a mapping writes: the stored value it lands in, and the values it replaces there. */
export interface WritePlace {
  /**
   * The lists and maps the write changes (from the mapping root down to each place's holder), or
   * undefined when they are not known (a wildcard or filter target): sizes measured before the
   * write are forgotten for them (all of them when unknown).
   */
  changes: readonly object[] | undefined
  /** Which value of the mapping root it is: `context`, `input`, `output` (not held to a size), or `mapping root`. */
  name: string
  /** The stored value itself (the object that holds the places written). */
  holder: unknown
  /** The value now at each place written (undefined where there is none yet): one per place. */
  replaced: unknown[]
  /**
   * UTF-8 bytes of JSON the write adds besides its values (jsonpath/write.ts writePlaces): the new
   * keys with their quotes, `:` and `,`, the lists and maps made on the way, a list's padding.
   */
  framing: number
  /** Maps whose new key `framing` counted with a `,` before it though they may be empty (writePlaces). */
  commaIn: readonly object[]
}

const MB = 1 << 20
const mb = (bytes: number): string => `${Math.round((bytes / MB) * 10) / 10} MB`
/** `2,097,152`: a count of bytes as the context's refusal names it, exactly (the one number wording). */
const exactly = (bytes: number): string => formatCount(bytes)

/**
 * The work budget of one mapping pass: one task's input or output mappings, a completion
 * callback's mappings, or one mapping_evaluation.json request. Made fresh for each pass (never
 * kept in the mapping hooks, which one settling of a foreach passes to each of its groups' passes).
 * - Steps: every transform of the pass draws from one pool of PASS_LIMITS.maxSteps, so 300
 *   `while(true) { }` transforms cost the pool once, not 300 budgets of their own.
 * - Paths: every JSONPath read and write of the pass draws from `paths`, one PathWork of
 *   PASS_LIMITS.maxPathNodes (PathBudgetError names the path that used it up).
 * - Copies: every copy (a transform's own copy of its source, a value written) counts against
 *   PASS_LIMITS.maxCopiedBytes, measured before it is built.
 * - Context size: once a pass has copied PASS_LIMITS.followAfterBytes into the context (or a
 *   group's sub-context), the context is measured and its size followed through each later write
 *   (what the write adds, less what it replaces); a write that would take it past
 *   PASS_LIMITS.maxGrownBytes (or past its size, if larger) is refused before its copy is built,
 *   instead of building ever larger contexts until the save refuses one (a chain of tasks that
 *   each copy the context into itself twice grew it to 16 MB, holding the main thread seconds).
 * Each limit throws PassBudgetError (ContextGrowthError for the context size, PathBudgetError for paths), or ValueTooLargeError for one value
 * over VALUE_LIMITS.
 */
export class PassBudget {
  /**
   * @param paths what the pass's JSONPath reads and writes may visit together: its own, or one it
   *   shares with other evaluations of the same synchronous step (a foreach start's)
   */
  constructor(readonly paths = new PathWork('the paths of one mapping pass together', PASS_LIMITS.maxPathNodes)) {}

  private readonly steps = new StepPool('the transforms of one mapping pass', PASS_LIMITS.maxSteps)
  private copied = 0
  /**
   * Sizes measured in this pass, kept while the data is unchanged: a pass that copies the context
   * twice measures it, and the values it replaces, once (the context is its sources' and its
   * targets' common root). Only the pass's own writes change that data (scripts cannot).
   */
  private memo: SizeMemo = new Map()
  /** By context: what this pass copied into it, and once followed, its size and the most it may reach. */
  private readonly stored = new Map<unknown, { written: number; size?: number; limit?: number }>()

  /** Spends `n` transform steps; throws PassBudgetError when the pass has none left. */
  spendSteps(n: number): void {
    this.steps.spendSteps(n)
  }

  /** A bounded copy (cloneWithin) counted against the pass's copies; `onContainer` as in cloneWithin. */
  clone(value: unknown, onContainer?: (copy: object) => void): unknown {
    this.spendCopy(jsonLengthOf(this.measure(value, true)))
    return copy(value, onContainer)
  }

  /**
   * A copy of `value` to write at each place of `place`, checked before it is built: against the
   * pass's copies and against the size its stored value may reach (see the class). The same copy
   * goes to every place, as writePath writes it. Read-only lists and maps (shareReadOnly) are shared,
   * not copied nor counted as copies: a write into one copies on write (jsonpath/write.ts).
   */
  copyFor(value: unknown, place: WritePlace): unknown {
    const length = jsonLengthOf(this.measure(value, true))
    this.grow(place, length)
    if (isReadOnly(value)) return value
    this.spendCopy(length)
    return copy(value, undefined, this.memo, true)
  }

  /** Call once the write of `place` was made (or failed part way): what it changed is measured again when next asked. */
  wrote(place: WritePlace): void {
    if (place.changes === undefined) this.memo = new Map()
    else for (const changed of place.changes) this.memo.delete(changed)
  }

  /** measureJson (measureWithin when `limited`) over this pass's memo, dropped when a measure throws. */
  private measure(value: unknown, limited = false): Size {
    try {
      return limited ? measureWithin(value, this.memo) : measureJson(value, this.memo)
    } catch (e) {
      this.memo = new Map()
      throw e
    }
  }

  private spendCopy(length: number): void {
    this.copied += length
    if (this.copied > PASS_LIMITS.maxCopiedBytes) {
      throw new PassBudgetError(`the copies one mapping pass makes may write out to at most ${mb(PASS_LIMITS.maxCopiedBytes)} together, and this one would pass that`)
    }
  }

  private grow(place: WritePlace, length: number): void {
    if (place.name === 'input' || place.name === 'output') return // made afresh for each task: not grown task after task
    let entry = this.stored.get(place.holder)
    if (!entry) this.stored.set(place.holder, (entry = { written: 0 }))
    const copies = length * place.replaced.length
    let added = copies + place.framing
    entry.written += added
    if (entry.limit === undefined || entry.size === undefined) {
      if (entry.written < PASS_LIMITS.followAfterBytes) return
      // measured now: it holds this pass's earlier writes already (less than followAfterBytes), not this one
      entry.size = jsonLengthOf(this.measure(place.holder))
      entry.limit = Math.max(PASS_LIMITS.maxGrownBytes, entry.size)
    }
    // a first key added to the context itself has no `,` before it when the context is empty (`{}`, 2
    // bytes); in an empty map further down one byte too many is counted: finding it empty costs a walk
    if (entry.size === 2 && place.commaIn.includes(place.holder as object)) added -= 1
    let replaced = 0
    for (const old of place.replaced) if (old !== undefined) replaced += jsonLengthOf(this.measure(old))
    const size = entry.size + added - replaced
    if (size > entry.limit) {
      const bound =
        entry.limit === PASS_LIMITS.maxGrownBytes
          ? `2 MiB (${exactly(entry.limit)} bytes)`
          : `the ${exactly(entry.limit)} bytes it had (more than 2 MiB: it may be rewritten, not grown)`
      throw new ContextGrowthError(`the ${place.name} would exceed ${bound}: with this copy it would be ${exactly(size)} bytes, of which the copy is ${exactly(copies)}; nothing was copied`, size, entry.limit)
    }
    entry.size = size
  }
}
