// The lines of an uploaded file, read chunk by chunk, where no line can grow without bound: a line
// longer than the cap is skipped as it streams by (counted, never held or split), so a 60 MB line
// costs no memory. Reads are synchronous into one reused buffer: this runs in a graph worker thread
// (ges-split.ts), never on the main thread.
import { closeSync, openSync, readSync } from 'node:fs'
import iconv from 'iconv-lite'
import { encodingName, isWellFormed, sniffBom } from '../import/text-encoding'

const NEWLINE = 0x0a
const CHUNK_BYTES = 64 * 1024

export type BoundedLine = { lineNo: number; text: string } | { lineNo: number; tooLong: true } | { lineNo: number; invalid: string }

/**
 * The lines of `file` (\n or \r\n ends one; a UTF-8 byte-order mark at the start is dropped), each
 * as text, or as `{tooLong}` when it has more than `maxBytes` bytes. A file with a UTF-16 byte-order
 * mark is decoded to UTF-8 first (import/text-encoding.ts), and a line of it holding bytes that are
 * no character (a lone surrogate, an odd byte at the end) comes as `{invalid}`, with why. Line numbers count from 1.
 * Throws what the file read throws (ENOENT, EACCES). The file is closed when the iteration ends.
 * `read.bytes` (when given) grows by the bytes of the file read so far, as they are read (64 KiB at a
 * time): how far into the file a reader that stopped early got.
 */
export function* boundedLines(file: string, maxBytes: number, read?: { bytes: number }): Generator<BoundedLine> {
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
    if (invalid && text.includes('\ufffd')) return { lineNo, invalid: `the line is not valid ${encodingName(utf16!)}` }
    return { lineNo, text }
  }
  const fd = openSync(file, 'r')
  const bom = sniffBom(fd)
  const utf16 = bom?.encoding === 'utf-16le' || bom?.encoding === 'utf-16be' ? bom.encoding : null
  const decoder = utf16 ? iconv.getDecoder(utf16, { stripBOM: false }) : null
  let invalid = false
  let odd = 0
  /** A chunk read as UTF-8: as it is, or decoded from UTF-16 (a lone surrogate or odd last byte becomes U+FFFD, and marks the file). */
  const utf8 = (raw: Buffer, end: boolean): Buffer => {
    if (!decoder) return raw
    odd = (odd + raw.length) % 2
    const text = end ? (decoder.end() ?? '') + (odd ? '\ufffd' : '') : decoder.write(raw)
    if (!isWellFormed(text) || (end && odd)) invalid = true
    return Buffer.from(text, 'utf8')
  }
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
    if (bom && utf16 && read) read.bytes += readSync(fd, buffer, 0, bom.bytes, null) // past the mark
    else if (bom && utf16) readSync(fd, buffer, 0, bom.bytes, null)
    for (;;) {
      const n = readSync(fd, buffer, 0, CHUNK_BYTES, null)
      if (read) read.bytes += n
      if (n === 0 && !decoder) break
      const chunk = utf8(buffer.subarray(0, n), n === 0)
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
      if (n === 0) break // a decoder's end was read
    }
    if (held > 0 || skipping) yield take(Buffer.alloc(0))
  } finally {
    closeSync(fd)
  }
}
