// The lines of an uploaded file, read chunk by chunk, where no line can grow without bound: a line
// longer than the cap is skipped as it streams by (counted, never held or split), so a 60 MB line
// costs no memory. Reads are synchronous into one reused buffer: this runs in a graph worker thread
// (ges-split.ts), never on the main thread.
import { closeSync, openSync, readSync } from 'node:fs'

const NEWLINE = 0x0a
const CHUNK_BYTES = 64 * 1024

export type BoundedLine = { lineNo: number; text: string } | { lineNo: number; tooLong: true }

/**
 * The lines of `file` (\n or \r\n ends one; a UTF-8 byte-order mark at the start is dropped), each
 * as text, or as `{tooLong}` when it has more than `maxBytes` bytes. Line numbers count from 1.
 * Throws what the file read throws (ENOENT, EACCES). The file is closed when the iteration ends.
 */
export function* boundedLines(file: string, maxBytes: number): Generator<BoundedLine> {
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
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    for (let n = readSync(fd, buffer, 0, CHUNK_BYTES, null); n > 0; n = readSync(fd, buffer, 0, CHUNK_BYTES, null)) {
      const chunk = buffer.subarray(0, n)
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
          parts.push(Buffer.from(rest)) // a copy: the buffer is read into again
          held += rest.length
        }
      }
    }
    if (held > 0 || skipping) yield take(Buffer.alloc(0))
  } finally {
    closeSync(fd)
  }
}
