// Stored JSON text answered as it is (#9 §2). A job's input and context may be megabytes of JSON;
// parsing them only to serialize them again held the main thread for seconds on every read. A view
// that only shows such a value carries the stored text in a RawJson, and stringifyWithRaw splices the
// text into the answer: the answer is the same JSON, built without parsing or serializing the value.
// A large value is read as its stored UTF-8 bytes (not even decoded into a string) and written into
// a streamed answer slice by slice (http/json-stream.ts), so no turn of the event loop copies megabytes.

import { randomBytes } from 'node:crypto'

/** What the stringifyWithPlaceholders call under way (it is synchronous, so one at a time) writes for each RawJson. */
let placing: ((raw: RawJson) => string) | undefined

/**
 * Stored JSON that nothing rewrites (a finished job's value), read from the store a slice of bytes
 * at a time when it is written into an answer (store.jobs.stateSlices): a turn of the event loop
 * then never holds all of it (reading 4 MB into one Buffer took ~20 ms of CPU here, #9 §2).
 */
export interface StoredSlices {
  /** Its length in bytes. */
  readonly size: number
  /** `length` bytes from `from` (fewer at the end); undefined when the value is gone (its job deleted). */
  slice(from: number, length: number): Buffer | undefined
  /**
   * slice, read off the calling thread (finished-values.ts: a value too large to keep, which SQLite loads
   * whole to cut any slice of it, is read a window at a time in a worker thread); a reader that can wait
   * calls it instead of slice. Resolves undefined when the value is gone; rejects when the read fails,
   * or with `signal`'s reason when it aborts (the answer's client hung up) before the read got a thread.
   */
  read?(from: number, length: number, signal?: AbortSignal): Promise<Buffer | undefined>
  /**
   * Prepares the slices off the calling thread where that is possible (finished-values.ts: waits for
   * room to hold the value, and loads it in a worker thread); a reader that can wait calls it before
   * its first slice. It stops waiting when `signal` aborts (the answer's client hung up). Never rejects.
   */
  ready?(signal?: AbortSignal): Promise<void>
  /**
   * Gives back what the reader holds (finished-values.ts: its value, held from its first slice to its
   * last): a reader that may stop before its last slice (a streamed answer) calls it when it ends or is
   * abandoned. Slices still read afterwards, without holding. May run more than once.
   */
  release?(): void
}

/**
 * JSON that goes into an answer as it is (it must be valid JSON: the store's own JSON columns are):
 * its text, its UTF-8 bytes as stored (store.jobs.stateBytes), or a stored value read slice by slice
 * (StoredSlices); bytes are decoded only if a string is asked for (`text`).
 */
export class RawJson {
  /**
   * `fields`: some top-level fields of the JSON object it holds (null for one it lacks), found without
   * parsing it here (by SQLite: job.repository.ts OUTPUT_HEAD_FIELDS), for a view that shows them beside it.
   */
  constructor(
    readonly json: string | Buffer | StoredSlices,
    readonly fields?: Readonly<Record<string, unknown>>,
  ) {}
  /** The JSON as a string (stored bytes are read whole and decoded: a copy of their size). */
  get text(): string {
    const json = this.json
    if (typeof json === 'string') return json
    if (Buffer.isBuffer(json)) return json.toString('utf8')
    const bytes = json.slice(0, json.size)
    if (!bytes) throw new Error('the stored JSON is gone (its job was deleted)')
    return bytes.toString('utf8')
  }
  /** Its size: characters of a text, bytes of stored bytes (what caches and caps count). */
  get size(): number {
    return typeof this.json === 'string' || Buffer.isBuffer(this.json) ? this.json.length : this.json.size
  }

  /**
   * A placeholder inside stringifyWithPlaceholders; elsewhere the value parsed, so any serializer
   * writes the same JSON. (JSON.stringify calls toJSON before its replacer: a replacer never sees a
   * RawJson, which is why placeholders are not a replacer's job.)
   */
  toJSON(): unknown {
    return placing ? placing(this) : (JSON.parse(this.text) as unknown)
  }
}

/** A stored JSON column as RawJson; null (SQL NULL, an unset value) stays null. */
export const rawJson = (json: string | Buffer | StoredSlices | null): RawJson | null => (json === null ? null : new RawJson(json))

/**
 * Above this many bytes of JSON a stored value a view shows (a job's input or result, a task's input
 * or output) is answered as stored text (RawJson), not parsed and serialized again: 1 MB took ~10 ms
 * each way, and a job detail with 3.7 MB of task outputs held the main thread 350 ms (#9 §2).
 */
export const RAW_VALUE_BYTES = 64 * 1024

/**
 * How deep carriesRaw and parseRawFields look for a RawJson: an answer's field, a list's item, that
 * item's field (a job detail's `tasks[i].output`). No answer nests one deeper.
 */
const RAW_DEPTH = 3

/** Whether `value` is a RawJson or holds one within RAW_DEPTH levels (an answer to stream rather than build whole). */
export function carriesRaw(value: unknown, depth = RAW_DEPTH): boolean {
  if (value instanceof RawJson) return true
  if (depth === 0 || value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false
  for (const v of Object.values(value)) if (carriesRaw(v, depth - 1)) return true
  return false
}

/**
 * JSON.stringify of `value` with every RawJson in it written as its text. Each RawJson is first
 * replaced by a placeholder string carrying a random nonce (no client value can name it), then the
 * texts are put in their place: linear in the answer's length, and the big texts are only copied.
 * The placeholders come from RawJson.toJSON, not a replacer function: a replacer is called for every
 * value and made a running execution's 200k-item context take ~200 ms instead of ~15 (#9 §2).
 */
export function stringifyWithRaw(value: unknown): string {
  const nonce = randomBytes(9).toString('hex')
  const texts: string[] = []
  const json = stringifyWithPlaceholders(value, (raw) => `${nonce}:${texts.push(raw.text) - 1}`)
  if (texts.length === 0) return json
  return json.replace(new RegExp(`"${nonce}:(\\d+)"`, 'g'), (_m, i: string) => texts[Number(i)])
}

/**
 * JSON.stringify(value, replacer) with each RawJson written as the string `place` gives for it (a
 * placeholder the caller then replaces by the JSON itself: stringifyWithRaw, http/json-stream.ts).
 */
export function stringifyWithPlaceholders(value: unknown, place: (raw: RawJson) => string, replacer?: (key: string, v: unknown) => unknown): string {
  const outer = placing
  placing = place
  try {
    return JSON.stringify(value, replacer as (key: string, v: unknown) => unknown)
  } finally {
    placing = outer
  }
}

/**
 * `value` with each RawJson it holds within RAW_DEPTH levels parsed, or as `parse` gives it (a transport
 * that needs values, not text: IPC, readRawFields). Objects and arrays holding one are copied (a kept
 * view is frozen and shared); everything else is returned as it is.
 */
export function parseRawFields<T>(value: T, depth = RAW_DEPTH, parse: (raw: RawJson) => unknown = (raw) => JSON.parse(raw.text)): T {
  if (value instanceof RawJson) return parse(value) as T
  if (!carriesRaw(value, depth)) return value
  if (Array.isArray(value)) return value.map((v: unknown) => parseRawFields(v, depth - 1, parse)) as T
  return Object.fromEntries(Object.entries(value as object).map(([k, v]) => [k, parseRawFields(v, depth - 1, parse)])) as T
}

/** The RawJsons `value` holds within `depth` levels (as carriesRaw looks for them), in `into`. */
function rawFields(value: unknown, depth: number, into: RawJson[]): RawJson[] {
  if (value instanceof RawJson) into.push(value)
  else if (depth > 0 && value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) for (const v of Object.values(value)) rawFields(v, depth - 1, into)
  return into
}

/**
 * parseRawFields for a transport that cannot stream (IPC): each RawJson of at most `maxBytes` parsed,
 * a larger one replaced by what `tooLarge` gives for it without reading any of it. A stored value
 * (StoredSlices) is made ready first (finished-values.ts: room to hold it, and its load in a worker
 * thread, so the calling thread does not load it whole) and given back once parsed. Rejects only when
 * a value is not valid JSON or is gone (its job deleted meanwhile).
 */
export async function readRawFields<T>(value: T, maxBytes: number, tooLarge: (raw: RawJson) => unknown): Promise<T> {
  const parsed = new Map<RawJson, unknown>()
  for (const raw of rawFields(value, RAW_DEPTH, [])) {
    if (parsed.has(raw)) continue
    if (raw.size > maxBytes) {
      parsed.set(raw, tooLarge(raw))
      continue
    }
    const stored = typeof raw.json === 'string' || Buffer.isBuffer(raw.json) ? undefined : raw.json
    try {
      await stored?.ready?.()
      parsed.set(raw, JSON.parse(raw.text))
    } finally {
      stored?.release?.()
    }
  }
  return parseRawFields(value, RAW_DEPTH, (raw) => parsed.get(raw))
}
