// A file's head as a preview or a check reads it, past lines longer than they read (#9, new-user
// trial): such a line is measured, not held (the readers' longLines 'skip'), up to what an import
// reads as one line (IMPORT_LINE_BYTES), and stands as an empty line in the head, so the lines after
// it (a header on line 2 after a 2 MiB line 1) are read and numbered as the import numbers them.
// A line not measured to its end ends the head; so does one the import would fail on, unless the
// reader reads past it as an import with continueOnError does (Check: `pastTooLong`, checkfix).
import { countLines, IMPORT_LINE_BYTES, longLineReason, packageBuffer } from '../import/packages'
import { openPackages, type ImportEncoding } from '../import/text-encoding'
import { formatSize } from '../../../shared/number-format'

/** A line longer than a head reads. */
export interface LongLineSeen {
  /** Its number in the file, from 1. */
  line: number
  /** Its length in bytes of the file (newline not counted); with `cut`, the bytes seen of it. */
  bytes: number
  /** What it takes of the file with its newline (when it has one): what an import judges; with `cut`, the bytes seen of it. */
  takes: number
  /** Not measured to its end (the scan's bound): longer than `bytes`. */
  cut: boolean
  /** How it stands for an import: read ('fits'), failed ("too long input line": takes IMPORT_LINE_BYTES or more), or not known (cut before). */
  verdict: 'fits' | 'too_long' | 'unknown'
}

export interface HeadLines {
  encoding: ImportEncoding
  /** Why the byte-order mark chose the encoding, when it did. */
  note?: string
  /** Whole lines, UTF-8; each long line an empty line. */
  bytes: Buffer
  /** Lines (indexes in `bytes`) not valid in the encoding, with why. */
  broken?: Map<number, string>
  /** Bytes of the file the head covers, long lines included. */
  read: number
  /** Long lines met, in order; the last ends the head when it is not 'fits'. */
  longLines: LongLineSeen[]
  /** Bytes of long lines read to measure them. */
  scanned: number
}

/**
 * Reads the head of file `fd` (in `asked` encoding, or its byte-order mark's): whole lines until
 * `headBytes` are held (then on to a line end), a line longer than the reader's buffer (headBytes and
 * its 1 MiB allowance) measured up to about `scanLimit` bytes (the reader reads on in 1 MiB steps; without
 * `pastTooLong` at most IMPORT_LINE_BYTES, enough to tell it fails an import) and kept as an empty
 * line. Stops at a long line not measured to its end, and (without `pastTooLong`) at one too long.
 * With `pastTooLong` (a check) a too long line measured to its end is stepped over as the import
 * with continueOnError steps over it, so the lines after it are judged (memory: one reused buffer).
 */
export function readHeadLines(fd: number, asked: ImportEncoding, headBytes: number, scanLimit = IMPORT_LINE_BYTES, pastTooLong = false): HeadLines {
  const limit = pastTooLong ? scanLimit : Math.min(scanLimit, IMPORT_LINE_BYTES)
  const opened = openPackages(fd, asked, headBytes, packageBuffer(headBytes), 'skip', limit)
  const parts: Buffer[] = []
  const broken = new Map<number, string>()
  const longLines: LongLineSeen[] = []
  let held = 0
  let lines = 0
  let read = 0
  let scanned = 0
  for (let pkg = opened.reader.next(); pkg; pkg = held >= headBytes ? null : opened.reader.next()) {
    read = pkg.start + (pkg.sourceBytes ?? pkg.bytes.length)
    if (pkg.longLine !== undefined) {
      const takes = pkg.sourceBytes ?? pkg.longLine
      scanned += takes
      const cut = pkg.longLineCut === true
      // as the import's PackageReader: a line whose bytes and newline reach its buffer fails
      const verdict = takes >= IMPORT_LINE_BYTES ? 'too_long' : cut ? 'unknown' : 'fits'
      longLines.push({ line: lines + 1, bytes: pkg.longLine, takes, cut, verdict })
      if (cut || (verdict === 'too_long' && !pastTooLong)) break
      parts.push(Buffer.from('\n'))
      lines++
      continue
    }
    for (const [i, why] of pkg.broken ?? []) broken.set(lines + i, why)
    parts.push(Buffer.from(pkg.bytes)) // the reader reuses its buffer
    held += pkg.bytes.length
    lines += countLines(pkg.bytes)
  }
  return { encoding: opened.encoding, ...(opened.note ? { note: opened.note } : {}), bytes: Buffer.concat(parts), ...(broken.size ? { broken } : {}), read, longLines, scanned }
}

/** Why `reader` did not read past a long line it did not measure to its end (`stopped`: its bound), and what that leaves unchecked. */
export const stoppedMeasuring = (reader: string, stopped: string): string =>
  `${reader} stopped measuring it there, ${stopped}; it did not read past it, so the lines after it were not checked`

/**
 * What a preview or check (`reader`: "the preview", "the check") says of a long line it met, reading
 * `headBytes`: one that fits is read by the import (`reader` stepped over it); one too long fails
 * the import there (longLineReason: what it takes and the limit), and `reader` reads on past it
 * (`past`) or stops; one not measured to its end says what was seen and why it stopped (`stopped`:
 * the reader's bound, e.g. a check's scan budget spent), and that the lines after it were not read.
 */
export function longLineNote(l: LongLineSeen, reader: string, headBytes: number, past = false, stopped = `as it measures a line up to ${IMPORT_LINE_BYTES} bytes`): string {
  const notRead = stoppedMeasuring(reader, stopped)
  if (l.verdict === 'fits') {
    return `line ${l.line} is ${l.bytes} bytes, longer than ${reader} reads (${formatSize(headBytes)} and a line end): ${reader} does not look into it, and the import reads it (lines of up to ${IMPORT_LINE_BYTES - 1} bytes with their line end)`
  }
  if (l.verdict === 'too_long') {
    const then = l.cut ? notRead : past ? `${reader} reads on past it` : `${reader} stops before it`
    return `line ${l.line} is longer than an import reads (${longLineReason(l.takes, IMPORT_LINE_BYTES, l.cut)}): ${then}; an import fails there`
  }
  return `line ${l.line} takes at least ${l.takes} bytes: ${notRead}; an import reads lines of up to ${IMPORT_LINE_BYTES - 1} bytes with their line end and fails a longer one`
}
