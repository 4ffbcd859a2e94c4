// A JSON answer that carries a whole log is written piece by piece as the log is read, with turns of
// the event loop between pieces, instead of being built and serialized in one synchronous stretch
// that holds every other request (#9 §2). Its bytes are the ones JSON.stringify would give for the
// whole value, so clients see the same answer; only its framing changes (chunked, no Content-Length).

import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { RawJson, stringifyWithPlaceholders, type StoredSlices } from '../store/raw-json'

/**
 * How much of a RawJson one turn of the event loop writes: a 4 MB stored context read and written at
 * once held every other request for the copy (#9 §2). A stored slice costs SQLite a load of the whole
 * value (~2 ms for 4 MB, whatever the slice's length), so slices are 1 MB: ~2.5 ms a turn, 4 turns.
 */
export const RAW_SLICE_BYTES = 1024 * 1024

/**
 * How much of a JsonPieces one turn of the event loop writes: its pieces are read and built as they
 * go (a result list's stored columns, ~45 KB a set), so a turn holds less than a stored slice.
 */
export const PIECES_TURN_BYTES = 256 * 1024

/**
 * A string value of a streamed JSON answer, produced in pieces. `pieces` is called once, when the
 * value's turn comes; a piece must not end inside a surrogate pair (whole lines never do). With
 * `escaped`, the pieces are the string's JSON text between its quotes, already escaped (as
 * JSON.stringify escapes), as text or UTF-8 bytes, written as they are: escaped where they were made
 * (an export's worker thread), not on the main thread. Without it, pieces are text, escaped here.
 */
export class StreamedString {
  /** `dispose` frees what the pieces would read (an export's worker) when the answer ends or is abandoned before they are all read; it may run more than once. */
  constructor(
    readonly pieces: () => AsyncIterable<string | Buffer>,
    readonly dispose?: () => void,
    readonly escaped = false,
  ) {}
}

/**
 * JSON text written as it is, produced in pieces that together form one JSON value (a list of
 * result sets whose columns are stored JSON). `pieces` is called once, when the value's turn comes;
 * a turn of the event loop passes after each PIECES_TURN_BYTES of them.
 */
export class JsonPieces {
  constructor(readonly pieces: () => AsyncIterable<string>) {}
}

/** A value known only once the streamed strings before it are written (a line count, the next line). Must be a JSON value. */
export class LateValue {
  constructor(readonly value: () => unknown) {}
}

/** The content type fastify gives an object it serializes, so that a streamed answer keeps it. */
export const JSON_TYPE = 'application/json; charset=utf-8'

/**
 * `value` as a stream of the bytes `JSON.stringify` gives once each StreamedString in it is replaced
 * by its joined pieces, each LateValue by its value, each JsonPieces by its pieces and each RawJson by
 * its JSON (store/raw-json.ts, written RAW_SLICE_BYTES per turn of the event loop) (key order
 * included). When the stream closes (ended or destroyed), the top-level StreamedStrings are disposed. The stream reads on
 * demand (a slow client holds back the reads), and destroying it, as fastify does when the client
 * hangs up, stops the pieces being read. Errors after the first byte end the connection, so check
 * everything (access, existence) before handing the stream to `reply.send`.
 */
export function jsonStream(value: unknown): Readable {
  const closed = new AbortController() // stored values held for the answer are given back when it closes, even mid-wait
  const stream = Readable.from(jsonPieces(value, closed.signal), { objectMode: false }) // a byte stream: about one piece read ahead, not 16
  // aborted as destroying begins: 'close' comes only once the pieces' generator has returned, which a
  // generator waiting for room to hold a stored value (StoredSlices.ready) would do only when it stops waiting
  const destroy = stream._destroy.bind(stream)
  stream._destroy = (error, callback) => {
    closed.abort()
    destroy(error, callback)
  }
  // a client that hangs up, even before a streamed string's turn, frees what it would have read
  const strings = value !== null && typeof value === 'object' ? Object.values(value).filter((v): v is StreamedString => v instanceof StreamedString) : []
  if (strings.some((s) => s.dispose)) stream.once('close', () => strings.forEach((s) => s.dispose?.()))
  return stream
}

async function* jsonPieces(value: unknown, closed: AbortSignal): AsyncGenerator<string | Buffer> {
  const token = `streamed-${randomUUID()}:`
  const holes: (StreamedString | LateValue | RawJson | JsonPieces)[] = []
  const placeholder = (v: StreamedString | LateValue | RawJson | JsonPieces) => `${token}${holes.push(v) - 1}`
  const text = stringifyWithPlaceholders(value, placeholder, (_key, v: unknown) =>
    v instanceof StreamedString || v instanceof LateValue || v instanceof JsonPieces ? placeholder(v) : v,
  )
  yield* fill(text, token, holes, closed)
}

async function* fill(text: string, token: string, holes: (StreamedString | LateValue | RawJson | JsonPieces)[], closed: AbortSignal): AsyncGenerator<string | Buffer> {
  let at = 0
  for (const m of text.matchAll(new RegExp(`"${token}(\\d+)"`, 'g'))) {
    if (m.index > at) yield text.slice(at, m.index)
    at = m.index + m[0].length
    const hole = holes[Number(m[1])]
    if (hole instanceof LateValue) {
      yield JSON.stringify(hole.value())
      continue
    }
    if (hole instanceof RawJson) {
      yield* rawSlices(hole.json, closed)
      continue
    }
    if (hole instanceof JsonPieces) {
      let since = 0
      for await (const piece of hole.pieces()) {
        if (since >= PIECES_TURN_BYTES) {
          await nextTurn()
          since = 0
        }
        since += piece.length
        if (piece) yield piece
      }
      continue
    }
    yield '"'
    for await (const piece of hole.pieces()) {
      if (!piece.length) continue
      yield hole.escaped ? piece : JSON.stringify(typeof piece === 'string' ? piece : piece.toString('utf8')).slice(1, -1)
    }
    yield '"'
  }
  if (at < text.length) yield text.slice(at)
}

/**
 * `json` in slices of about RAW_SLICE_BYTES, a turn of the event loop before each but the first.
 * Stored slices that are gone (the job was deleted meanwhile) fail the stream, which ends the connection.
 * Stored slices are released when this ends, however it ends; none is read once `closed` aborts.
 */
async function* rawSlices(json: string | Buffer | StoredSlices, closed: AbortSignal): AsyncGenerator<string | Buffer> {
  if (typeof json === 'string' || Buffer.isBuffer(json)) return yield* inSlices(json)
  try {
    await json.ready?.(closed) // a kept value is loaded off this thread (a 48 MB one held it 4 s), once there is room to hold it
    if (!closed.aborted) yield* inSlices(json, closed)
  } finally {
    json.release?.()
  }
}

async function* inSlices(json: string | Buffer | StoredSlices, closed?: AbortSignal): AsyncGenerator<string | Buffer> {
  const size = typeof json === 'string' || Buffer.isBuffer(json) ? json.length : json.size
  for (let at = 0; at < size; ) {
    if (at > 0) await nextTurn()
    let end = Math.min(at + RAW_SLICE_BYTES, size)
    if (typeof json === 'string') {
      if (end < size && (json.charCodeAt(end - 1) & 0xfc00) === 0xd800) end-- // never between the halves of a surrogate pair
      yield json.slice(at, end)
    } else if (Buffer.isBuffer(json)) yield json.subarray(at, end) // bytes as they are: a UTF-8 sequence may span two slices
    else {
      const bytes = json.read ? await json.read(at, end - at, closed) : json.slice(at, end - at)
      if (!bytes || bytes.length === 0) throw new Error('the stored JSON is gone (its job was deleted)')
      yield bytes
      end = at + bytes.length
    }
    at = end
  }
}

