// The lines of an uploaded file, read chunk by chunk, where no line can grow without bound: a line
// longer than the cap is skipped as it streams by (counted, never held or split), so a 60 MB line
// costs neither memory nor a long stretch of the main thread. readline holds a whole line first.
import { createReadStream } from 'node:fs'

const NEWLINE = 0x0a

export type BoundedLine = { lineNo: number; text: string } | { lineNo: number; tooLong: true }

/**
 * The lines of `file` (\n or \r\n ends one; a UTF-8 byte-order mark at the start is dropped), each
 * as text, or as `{tooLong}` when it has more than `maxBytes` bytes. Line numbers count from 1.
 * Throws what the file read throws (ENOENT, EACCES).
 */
export async function* boundedLines(file: string, maxBytes: number): AsyncGenerator<BoundedLine> {
  let parts: Buffer[] = []
  let held = 0
  let skipping = false
  let lineNo = 0
  const take = (tail: Buffer): BoundedLine => {
    lineNo++
    if (skipping || held + tail.length > maxBytes) {
      skipping = false
      parts = []
      held = 0
      return { lineNo, tooLong: true }
    }
    let bytes = parts.length ? Buffer.concat([...parts, tail]) : tail
    parts = []
    held = 0
    if (bytes.length && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, bytes.length - 1)
    let text = bytes.toString('utf8')
    if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    return { lineNo, text }
  }
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    let from = 0
    for (let nl = chunk.indexOf(NEWLINE, from); nl !== -1; nl = chunk.indexOf(NEWLINE, from)) {
      yield take(chunk.subarray(from, nl))
      from = nl + 1
    }
    if (from < chunk.length && !skipping) {
      const rest = chunk.subarray(from)
      if (held + rest.length > maxBytes) {
        skipping = true // the rest of this line streams by uncounted
        parts = []
        held = 0
      } else {
        parts.push(rest)
        held += rest.length
      }
    }
  }
  if (held > 0 || skipping) yield take(Buffer.alloc(0))
}
