// A data file cut into packages the way TuGraph cuts it (tugraph-db: src/import/file_cutter.h):
// read 16 MiB, then on to the end of that line; a line that makes a package reach 17 MiB is
// "too long input line". Cuts depend on the bytes only, so package N is the same package in every
// run: that is what skipPackages and resuming by task id count on. Reads are synchronous (this runs
// in a worker thread) into one reused buffer, so memory stays flat whatever the file size.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs'
import type { FileMapping } from '../../../shared/graph'
import { graphError } from '../errors'

/** TuGraph's text for a line longer than a package. */
export const TOO_LONG_LINE = 'too long input line'

export const PACKAGE_BYTES = 16 * 1024 * 1024
/** How far past the soft size a package may reach to end its last line. */
const LINE_ALLOWANCE = 1024 * 1024
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
}

/** A buffer a PackageReader of `softBytes` packages reads into: one per import, reused from file to file. */
export const packageBuffer = (softBytes = PACKAGE_BYTES): Buffer => Buffer.allocUnsafe(softBytes + LINE_ALLOWANCE)

export class PackageReader {
  private position = 0

  /**
   * `buffer`: made by packageBuffer(softBytes), given so that an import of thousands of small files
   * does not allocate 17 MiB for each (the garbage collector then took most of the time).
   */
  constructor(
    private readonly fd: number,
    private readonly softBytes = PACKAGE_BYTES,
    private readonly buffer = packageBuffer(softBytes),
  ) {
    if (buffer.length !== softBytes + LINE_ALLOWANCE) throw new Error('a package buffer is made by packageBuffer for its package size')
  }

  /** The next package, or null at the end of the file. Throws line_too_long on a line too long to fit. */
  next(): Package | null {
    const start = this.position
    let length = this.read(0, this.softBytes)
    if (length === 0) return null
    if (length === this.softBytes && this.buffer[length - 1] !== NEWLINE) {
      for (;;) {
        const room = this.buffer.length - length
        if (room === 0) throw graphError('line_too_long', TOO_LONG_LINE)
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
      if (length >= this.buffer.length) throw graphError('line_too_long', TOO_LONG_LINE)
    }
    this.position = start + length
    return { start, bytes: this.buffer.subarray(0, length) }
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
