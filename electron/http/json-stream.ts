// A JSON answer that carries a whole log is written piece by piece as the log is read, with turns of
// the event loop between pieces, instead of being built and serialized in one synchronous stretch
// that holds every other request (#9 §2). Its bytes are the ones JSON.stringify would give for the
// whole value, so clients see the same answer; only its framing changes (chunked, no Content-Length).

import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'

/**
 * A string value of a streamed JSON answer, produced in pieces. `pieces` is called once, when the
 * value's turn comes; a piece must not end inside a surrogate pair (whole lines never do).
 */
export class StreamedString {
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
 * by its joined pieces and each LateValue by its value (key order included). The stream reads on
 * demand (a slow client holds back the reads), and destroying it, as fastify does when the client
 * hangs up, stops the pieces being read. Errors after the first byte end the connection, so check
 * everything (access, existence) before handing the stream to `reply.send`.
 */
export function jsonStream(value: unknown): Readable {
  return Readable.from(jsonPieces(value), { objectMode: false }) // a byte stream: about one piece read ahead, not 16
}

async function* jsonPieces(value: unknown): AsyncGenerator<string> {
  const token = `streamed-${randomUUID()}:`
  const holes: (StreamedString | LateValue)[] = []
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof StreamedString || v instanceof LateValue ? `${token}${holes.push(v) - 1}` : v))
  let at = 0
  for (const m of text.matchAll(new RegExp(`"${token}(\\d+)"`, 'g'))) {
    if (m.index > at) yield text.slice(at, m.index)
    at = m.index + m[0].length
    const hole = holes[Number(m[1])]
    if (hole instanceof LateValue) {
      yield JSON.stringify(hole.value())
      continue
    }
    yield '"'
    for await (const piece of hole.pieces()) if (piece) yield JSON.stringify(piece).slice(1, -1)
    yield '"'
  }
  if (at < text.length) yield text.slice(at)
}
