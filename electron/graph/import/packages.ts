// A data file cut into packages the way TuGraph cuts it (tugraph-db: src/import/file_cutter.h):
// read 16 MiB, then on to the end of that line; a line that makes a package reach 17 MiB is
// "too long input line". Cuts depend on the bytes only, so package N is the same package in every
// run: that is what skipPackages and resuming by task id count on. Reads are synchronous (this runs
// in a worker thread) into one reused buffer, so memory stays flat whatever the file size.
// An import reads with `longLines: 'skip'`: the whole lines before a line too long end their package
// there, and the long line comes as a package of its own (`longLine`), read past without being held,
// so the import can name its line, and skip it with continueOnError (#9). Previews and checks throw.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import type { FileMapping } from '../../../shared/graph'
import { graphError } from '../errors'

/** TuGraph's text for a line longer than a package. */
export const TOO_LONG_LINE = 'too long input line'

export const PACKAGE_BYTES = 16 * 1024 * 1024
/** How far past the soft size a package may reach to end its last line. */
const LINE_ALLOWANCE = 1024 * 1024
/**
 * The package buffer of an import, in bytes of UTF-8 (16 MiB and its 1 MiB allowance): a line that
 * takes this many bytes or more with its line end makes a package reach 17 MiB and is "too long input
 * line" (TuGraph's file_cutter; longLineReason names it), so the longest line an import reads takes
 * IMPORT_LINE_BYTES - 1 bytes with its newline. Previews and checks read less, and judge a longer line against this.
 */
export const IMPORT_LINE_BYTES = PACKAGE_BYTES + LINE_ALLOWANCE
const NEWLINE = 0x0a

export interface Package {
  /** Offset of the package in the file. */
  start: number
  /** The package's bytes (UTF-8: decoded when the file is in another encoding); valid until the next call to next(). */
  bytes: Buffer
  /** Bytes of the file the package covers, when not bytes.length (a decoded file: text-encoding.ts). */
  sourceBytes?: number
  /** Index of a line → why it is not valid in the file's encoding (a decoded file). */
  broken?: Map<number, string>
  /**
   * Set on a line too long to read (longLines 'skip'): the package is that one line, `bytes` only its
   * first LONG_LINE_HEAD bytes (for the report), `sourceBytes` what it takes of the file with its
   * newline, and this its length in bytes of the file, newline not counted.
   */
  longLine?: number
  /**
   * Set with `longLine` when the reader stopped measuring the line at its `scanLimit` (longLine is then
   * the bytes seen, the line longer): nothing after it is read (next() gives null).
   */
  longLineCut?: boolean
}

/** What to do with a line too long for a package: throw line_too_long, or hand it over as a `longLine` package. */
export type LongLines = 'throw' | 'skip'

/** Bytes of a too-long line kept for the report (which shows 1,000 characters: at most 4 bytes each). */
export const LONG_LINE_HEAD = 4096

/**
 * The reason a too-long line fails: TuGraph's text first, then what the line takes of the file
 * (`takes`: its bytes and its newline, when it has one; with `atLeast`, the bytes seen of a line not
 * measured to its end) and the most a line may take (`limit`: the package buffer, bytes; a line reaching
 * it fails). One wording for the import, the preview and Check.
 */
export const longLineReason = (takes: number, limit: number, atLeast = false): string =>
  `${TOO_LONG_LINE}: it takes ${atLeast ? 'at least ' : ''}${takes} bytes with its line end, and an import reads lines of up to ${limit - 1}`

/** A buffer a PackageReader of `softBytes` packages reads into: one per import, reused from file to file. */
export const packageBuffer = (softBytes = PACKAGE_BYTES): Buffer => Buffer.allocUnsafe(softBytes + LINE_ALLOWANCE)

export class PackageReader {
  private position = 0
  /** A long line was cut at scanLimit: the rest of the file is not read. */
  private stopped = false

  /**
   * `buffer`: made by packageBuffer(softBytes), given so that an import of thousands of small files
   * does not allocate 17 MiB for each (the garbage collector then took most of the time).
   */
  constructor(
    private readonly fd: number,
    private readonly softBytes = PACKAGE_BYTES,
    private readonly buffer = packageBuffer(softBytes),
    private readonly longLines: LongLines = 'throw',
    /** ('skip') Bytes of a long line read on to find its end, at most: a preview's bound (an import's is none). */
    private readonly scanLimit = Infinity,
  ) {
    if (buffer.length !== softBytes + LINE_ALLOWANCE) throw new Error('a package buffer is made by packageBuffer for its package size')
  }

  /**
   * The next package, or null at the end of the file. On a line too long to fit: throws line_too_long
   * ('throw'), or gives the whole lines before it, then the line as a `longLine` package ('skip').
   */
  next(): Package | null {
    if (this.stopped) return null
    const start = this.position
    let length = this.read(0, this.softBytes)
    if (length === 0) return null
    if (length === this.softBytes && this.buffer[length - 1] !== NEWLINE) {
      for (;;) {
        const room = this.buffer.length - length
        if (room === 0) return this.tooLong(start, length)
        const n = this.read(length, Math.min(room, 64 * 1024))
        if (n === 0) break // end of file: the last line has no newline
        const nl = this.buffer.indexOf(NEWLINE, length)
        if (nl !== -1 && nl < length + n) {
          // Bytes read past the newline belong to the next package.
          length = nl + 1
          break
        }
        length += n
      }
      if (length >= this.buffer.length) return this.tooLong(start, length)
    }
    this.position = start + length
    return { start, bytes: this.buffer.subarray(0, length) }
  }

  /**
   * The package's last line (it starts after the last newline of the first softBytes; the buffer holds
   * `length` bytes from `start`) does not fit. Throws, or ('skip') gives the whole lines before it as a
   * package, or, when the line starts the package, reads on to its end and gives it as a `longLine`.
   */
  private tooLong(start: number, length: number): Package {
    if (this.longLines === 'throw') throw graphError('line_too_long', TOO_LONG_LINE)
    const before = this.buffer.lastIndexOf(NEWLINE, this.softBytes - 1)
    if (before !== -1) {
      this.position = start + before + 1
      return { start, bytes: this.buffer.subarray(0, before + 1) }
    }
    const head = Buffer.from(this.buffer.subarray(0, Math.min(length, LONG_LINE_HEAD)))
    let end = this.buffer.subarray(0, length).indexOf(NEWLINE) // only as the buffer's last byte
    let at = start + length
    if (end !== -1) end += start
    // on to the line's end in chunks the buffer takes, none kept: its length is all that is needed
    while (end === -1) {
      if (at - start >= this.scanLimit) {
        this.stopped = true
        return { start, bytes: head, sourceBytes: at - start, longLine: at - start, longLineCut: true }
      }
      const n = readSync(this.fd, this.buffer, 0, Math.min(this.buffer.length, 1024 * 1024), at)
      if (n === 0) break
      const nl = this.buffer.subarray(0, n).indexOf(NEWLINE)
      if (nl !== -1) end = at + nl
      else at += n
    }
    const lineEnd = end === -1 ? at : end
    this.position = end === -1 ? at : end + 1
    return { start, bytes: head, sourceBytes: this.position - start, longLine: lineEnd - start }
  }

  private read(at: number, count: number): number {
    let total = 0
    while (total < count) {
      const n = readSync(this.fd, this.buffer, at + total, count - total, this.position + at + total)
      if (n === 0) break
      total += n
    }
    return total
  }
}

/** Lines in a package: its newlines, plus one for a last line without one. */
export function countLines(bytes: Buffer): number {
  let n = 0
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) n++
  return bytes.length > 0 && bytes[bytes.length - 1] !== NEWLINE ? n + 1 : n
}

/**
 * Opens a data file for reading without following a symbolic link at its last part (the upload
 * path was checked; this closes the gap between that check and the open). Errors in TuGraph's words.
 */
export function openDataFile(file: string, mapping: FileMapping): number {
  let fd: number
  try {
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  } catch {
    throw new Error(`Path [${mapping.path}] does not exist in json ${JSON.stringify(mapping)}`)
  }
  if (!fstatSync(fd).isFile()) {
    closeSync(fd)
    throw new Error(`Path [${mapping.path}] is not a file`)
  }
  return fd
}
