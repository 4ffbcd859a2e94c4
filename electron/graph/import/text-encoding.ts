// The encodings an import reads (#9): UTF-8 as the bytes are (the fast path, packages.ts), and files
// Windows and Excel save as "Unicode text" (UTF-16 with a byte-order mark) or Chinese tools save as
// GBK/GB18030, decoded to UTF-8 as they are read (iconv-lite, already the export's encoder) so the
// rest of an import — lines, fields, values — reads UTF-8 only. A byte-order mark decides over the
// mapping's `encoding`: it is what the file says of itself.
import { isUtf8 } from 'node:buffer'
import { readSync } from 'node:fs'
import iconv from 'iconv-lite'
import { graphError } from '../errors'
import { LONG_LINE_HEAD, PackageReader, packageBuffer, PACKAGE_BYTES, TOO_LONG_LINE, type LongLines, type Package } from './packages'

import { IMPORT_ENCODINGS, type ImportEncoding } from '../../../shared/graph'

export { IMPORT_ENCODINGS, type ImportEncoding }

const ALIASES: Record<string, ImportEncoding> = { utf8: 'utf-8', utf16le: 'utf-16le', utf16be: 'utf-16be', cp936: 'gbk' }

/** `value` (any case; utf8, utf16le, cp936 too) as an ImportEncoding, or null when it is none. */
export function importEncoding(value: unknown): ImportEncoding | null {
  if (typeof value !== 'string') return null
  const v = value.trim().toLowerCase()
  return (IMPORT_ENCODINGS as readonly string[]).includes(v) ? (v as ImportEncoding) : (ALIASES[v] ?? null)
}

/** How an encoding is named in notes and reasons (UTF-16LE, GBK). */
export const encodingName = (e: ImportEncoding): string => e.toUpperCase()

const BOMS: { encoding: ImportEncoding; bytes: number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
]

/** The byte-order mark at the start of the file `fd`, or null. */
export function sniffBom(fd: number): { encoding: ImportEncoding; bytes: number } | null {
  const head = Buffer.alloc(3)
  const n = readSync(fd, head, 0, 3, 0)
  const bom = BOMS.find((b) => n >= b.bytes.length && b.bytes.every((x, i) => head[i] === x))
  return bom ? { encoding: bom.encoding, bytes: bom.bytes.length } : null
}

/** Bytes of a file's head an encoding is guessed from (then cut back to its last line end). */
export const GUESS_BYTES = 64 * 1024

/** An encoding guessed for a file without a byte-order mark, and why (for the preview's note). */
export interface EncodingGuess {
  encoding: Exclude<ImportEncoding, 'utf-8'>
  /** e.g. "not UTF-8; read as GBK (its first lines decode as GBK without error, with Chinese characters)" */
  why: string
}

/** CJK ideographs (the unified block and extension A) and CJK punctuation: what Chinese text holds. */
const CJK = /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/
/** Private-use characters: what GBK's user-defined areas decode to, never in real text. */
const PRIVATE_USE = /[\ue000-\uf8ff]/

/**
 * The encoding file bytes `head` (its first bytes, without a byte-order mark) are likely in when they
 * are not UTF-8, or null when they are UTF-8 or nothing fits. Deterministic, in this order:
 * 1. UTF-16LE/BE: every other byte is NUL in at least a quarter of the byte pairs (ASCII text in
 *    UTF-16), on one side only (the other side's NULs under a tenth of those), and the pairs decode
 *    without a lone surrogate. Checked first: NUL is valid UTF-8, so such a file reads as "UTF-8".
 * 2. Otherwise null when the head (cut at its last line end, unless `whole`) is valid UTF-8.
 * 3. GBK, else GB18030: the head decodes without error and without private-use characters, holds
 *    CJK characters, and at least half of its 2-byte characters lie in the GB2312 area (both bytes
 *    0xA1 or more), where the common Chinese characters are. Latin-1 text (é, ü before a letter)
 *    makes 2-byte characters whose second byte is ASCII, outside that area, so it stays UTF-8.
 * `whole`: `head` is the whole file (its last line need not end).
 */
export function guessEncoding(head: Buffer, whole = false): EncodingGuess | null {
  const utf16 = utf16ByNuls(head)
  if (utf16) return { encoding: utf16, why: `not UTF-8; read as ${encodingName(utf16)} (every other byte is NUL, and there is no byte-order mark)` }
  const end = whole ? head.length : head.lastIndexOf(NEWLINE) + 1
  const lines = head.subarray(0, end)
  if (lines.length === 0 || isUtf8(lines)) return null
  if (!chineseLike(lines)) return null
  for (const encoding of ['gbk', 'gb18030'] as const) {
    const text = iconv.decode(lines, encoding, { stripBOM: false })
    if (!text.includes(REPLACEMENT) && !PRIVATE_USE.test(text) && CJK.test(text)) {
      return { encoding, why: `not UTF-8; read as ${encodingName(encoding)} (its first lines decode as ${encodingName(encoding)} without error, with Chinese characters)` }
    }
  }
  return null
}

/** UTF-16LE or BE by the NULs of ASCII characters (see guessEncoding), or null. */
function utf16ByNuls(head: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = head.length >> 1
  if (pairs < 2) return null
  let even = 0
  let odd = 0
  for (let i = 0; i < 2 * pairs; i += 2) {
    if (head[i] === 0) even++
    if (head[i + 1] === 0) odd++
  }
  const [nuls, other, encoding] = odd >= even ? [odd, even, 'utf-16le' as const] : [even, odd, 'utf-16be' as const]
  if (nuls * 4 < pairs || other * 10 > nuls) return null
  // the head may end inside a surrogate pair: leave its last unit out
  const text = iconv.decode(head.subarray(0, 2 * pairs - 2), encoding, { stripBOM: false })
  return isWellFormed(text) ? encoding : null
}

/** At least half of the 2-byte characters of GBK/GB18030 `bytes` are in the GB2312 area (see guessEncoding). */
function chineseLike(bytes: Buffer): boolean {
  let gb2312 = 0
  let others = 0
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]
    if (b < 0x80) i++
    else if (b >= 0x81 && b <= 0xfe && bytes[i + 1] >= 0x30 && bytes[i + 1] <= 0x39) i += 4 // a GB18030 4-byte character
    else {
      if (b >= 0xa1 && bytes[i + 1] >= 0xa1) gb2312++
      else others++
      i += 2
    }
  }
  return gb2312 > 0 && gb2312 >= others
}

/** guessEncoding of the first GUESS_BYTES of file `fd`, or null when it starts with a byte-order mark. */
export function guessFileEncoding(fd: number): EncodingGuess | null {
  if (sniffBom(fd)) return null
  const head = Buffer.alloc(GUESS_BYTES)
  const n = readSync(fd, head, 0, GUESS_BYTES, 0)
  return guessEncoding(head.subarray(0, n), n < GUESS_BYTES)
}

/**
 * What a reason for a line that is not valid UTF-8 adds when the file looks like another encoding
 * (an encoding chosen by hand is never overridden: the person is told which to choose).
 */
export const encodingHint = (guess: EncodingGuess): string => `it looks like ${encodingName(guess.encoding)}: choose Encoding ${encodingName(guess.encoding)} (encoding "${guess.encoding}")`

/**
 * A failed line's `reason` in a file read as UTF-8 that looks like `guess`: with encodingHint added
 * when the line is "not valid UTF-8" (a GBK file), or whatever failed it when the guess is UTF-16
 * (its NULs are valid UTF-8, so its lines fail on their values). Else `reason` as it is.
 */
export function withEncodingHint(reason: string, guess: EncodingGuess | null): string {
  if (!guess || !(guess.encoding.startsWith('utf-16') || reason.startsWith('the line is not valid UTF-8'))) return reason
  return `${reason}; ${encodingHint(guess)}`
}

/** What a file's packages are read by (PackageReader or DecodingPackageReader). */
export interface PackageSource {
  next(): Package | null
}

export interface OpenedPackages {
  reader: PackageSource
  /** The encoding the file is read in: its byte-order mark's, else the one asked for. */
  encoding: ImportEncoding
  /** A note for the report when a byte-order mark chose the encoding (UTF-8's is dropped by lines.ts). */
  note?: string
  /** Why that encoding: the file's byte-order mark, the one asked for, or UTF-8 when none was. */
  by: 'mark' | 'given' | 'default'
}

/**
 * Why a file is read in its encoding, as a report note and the job log say it: "its byte-order mark",
 * "chosen" (the encoding given was chosen: on the Imports page, in a config or by an API caller),
 * "guessed" (the encoding given is the one the file's preview guessed: the mapping's
 * `encodingGuessed`), "no encoding given".
 */
export function readAsWhy(opened: Pick<OpenedPackages, 'by'>, guessed: boolean | undefined): string {
  return opened.by === 'mark' ? 'its byte-order mark' : opened.by === 'given' ? (guessed ? 'guessed' : 'chosen') : 'no encoding given'
}

/**
 * The packages of file `fd` in `asked` encoding (or its byte-order mark's; null: none asked, UTF-8). UTF-8 files are read by
 * PackageReader as they are; others are decoded to UTF-8 by DecodingPackageReader (their packages'
 * `start` and `sourceBytes` still count the file's bytes, for progress). `longLines`: what a line too
 * long for a package does (packages.ts LongLines: an import skips it as a `longLine` package).
 */
export function openPackages(fd: number, asked: ImportEncoding | null = 'utf-8', softBytes = PACKAGE_BYTES, buffer = packageBuffer(softBytes), longLines: LongLines = 'throw', scanLimit = Infinity): OpenedPackages {
  const bom = sniffBom(fd)
  const encoding = bom?.encoding ?? asked ?? 'utf-8'
  const by = bom ? 'mark' : asked ? 'given' : 'default'
  if (encoding === 'utf-8') return { reader: new PackageReader(fd, softBytes, buffer, longLines, scanLimit), encoding, by }
  // a mark decides over the encoding asked for, and says so when it overrides one (fresh: it was silent)
  const overridden = asked && asked !== 'utf-8' && asked !== encoding ? `, not ${encodingName(asked)} as asked` : ''
  const note = bom ? `a ${encodingName(encoding)} byte-order mark: the file is read as ${encodingName(encoding)}${overridden}` : undefined
  return { reader: new DecodingPackageReader(fd, encoding, bom?.bytes ?? 0, softBytes, buffer, longLines, scanLimit), encoding, by, ...(note ? { note } : {}) }
}

/** Bytes of the file read at a time: at most 1.5× as many UTF-8 bytes (a 2-byte character becomes 3). */
const RAW_CHUNK = 64 * 1024
const NEWLINE = 0x0a
const REPLACEMENT = '\ufffd'
const REPLACEMENT_BYTES = Buffer.from(REPLACEMENT, 'utf8')
/** No lone surrogate in `text` (String.prototype.isWellFormed: Node 20, not yet in the TypeScript lib this project targets). */
export const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed()

/**
 * A file in another encoding than UTF-8, cut into packages of UTF-8 text by PackageReader's rule
 * (`softBytes` of UTF-8, then on to the end of that line; a line that does not fit the buffer is
 * "too long input line", or with longLines 'skip' the whole lines before it and then the line as a
 * `longLine` package, as PackageReader gives them). Bytes that are no character (a lone UTF-16 surrogate, a byte left over
 * at the end of a UTF-16 file, an invalid GBK sequence) make their line broken: the package's
 * `broken` names them, and the import fails or skips the line as it does for invalid UTF-8.
 */
export class DecodingPackageReader implements PackageSource {
  private readonly decoder: iconv.DecoderStream
  private readonly raw = Buffer.allocUnsafe(RAW_CHUNK)
  /** Offset in the file of the next byte to read. */
  private position: number
  /** Offset in the file of the next package. */
  private start: number
  /** UTF-8 bytes decoded into `buffer` and not yet in a package. */
  private filled = 0
  private eof = false
  /** The file held bytes that are no character: lines with U+FFFD are checked for them. */
  private invalid = false
  /** A byte left over at the end of a UTF-16 file. */
  private oddByte = false
  /** Decoded text that did not fit in the buffer (longLines 'skip'): it comes before anything read next. */
  private carry = ''
  /** A long line was cut at scanLimit: the rest of the file is not read. */
  private stopped = false

  constructor(
    private readonly fd: number,
    private readonly encoding: ImportEncoding,
    bomBytes: number,
    private readonly softBytes: number,
    private readonly buffer: Buffer,
    private readonly longLines: LongLines = 'throw',
    /** ('skip') Bytes of the file a long line is read on for its end, at most (PackageReader's scanLimit). */
    private readonly scanLimit = Infinity,
  ) {
    this.decoder = iconv.getDecoder(encoding, { stripBOM: false })
    this.position = bomBytes
    this.start = 0
  }

  /** The next package of UTF-8 text, or null at the end of the file. Throws line_too_long ('throw'). */
  next(): Package | null {
    if (this.stopped) return null
    while (!this.done() && this.filled < this.softBytes) this.fill()
    if (this.filled === 0) return null
    let cut: number
    for (;;) {
      const nl = this.filled >= this.softBytes ? this.buffer.indexOf(NEWLINE, this.softBytes - 1) : -1
      if (nl !== -1 && nl < this.filled) {
        cut = nl + 1
        break
      }
      if (this.done()) {
        cut = this.filled
        break
      }
      if (this.carry !== '') return this.tooLong() // the buffer is full and its last line goes on
      this.fill()
    }
    return this.cutAt(cut)
  }

  /** Everything of the file is decoded and in the buffer. */
  private done = (): boolean => this.eof && this.carry === ''

  /** The first `cut` bytes of the buffer as a package; the rest moves to its front. */
  private cutAt(cut: number): Package {
    const bytes = Buffer.from(this.buffer.subarray(0, cut)) // the rest moves to the front of the buffer
    const rest = this.buffer.toString('utf8', cut, this.filled) + this.carry
    this.buffer.copyWithin(0, cut, this.filled)
    this.filled -= cut
    const end = rest === '' && this.eof ? this.position : this.decodedEnd() - this.sourceLength(rest)
    const pkg: Package = { start: this.start, bytes, sourceBytes: end - this.start }
    this.start = end
    const broken = this.invalid ? this.brokenLines(bytes, this.done() && this.filled === 0) : null
    if (broken && broken.size > 0) pkg.broken = broken
    return pkg
  }

  /**
   * The buffer's last line does not fit (longLines 'skip'): the whole lines before it as a package, or,
   * when the line starts the package, the line as a `longLine` package, its text read on to its newline
   * and dropped (only LONG_LINE_HEAD bytes kept for the report).
   */
  private tooLong(): Package {
    const before = this.buffer.lastIndexOf(NEWLINE, this.filled - 1)
    if (before !== -1) return this.cutAt(before + 1)
    const head = Buffer.from(this.buffer.subarray(0, Math.min(this.filled, LONG_LINE_HEAD)))
    this.filled = 0
    let found = false
    while (!found && !this.done()) {
      if (this.position - this.start >= this.scanLimit) {
        this.stopped = true
        return { start: this.start, bytes: head, sourceBytes: this.position - this.start, longLine: this.position - this.start, longLineCut: true }
      }
      const text = this.carry !== '' ? this.carry : this.decodeMore()
      this.carry = ''
      const nl = text.indexOf('\n')
      if (nl !== -1) {
        this.carry = text.slice(nl + 1)
        found = true
      }
    }
    const end = this.done() ? this.position : this.decodedEnd() - this.sourceLength(this.carry)
    const pkg: Package = { start: this.start, bytes: head, sourceBytes: end - this.start, longLine: end - this.start - (found ? this.sourceLength('\n') : 0) }
    this.start = end
    return pkg
  }

  /** Offset in the file just after what was decoded (the decoder may hold a byte or a half pair). */
  private decodedEnd(): number {
    return this.position - this.pending
  }

  private pending = 0

  /** Reads and decodes RAW_CHUNK more bytes (the decoder's end at the end of the file); '' when they make no character yet. */
  private decodeMore(): string {
    const n = readSync(this.fd, this.raw, 0, RAW_CHUNK, this.position)
    let text: string
    if (n === 0) {
      this.eof = true
      text = this.decoder.end() ?? ''
      if (this.utf16() && this.pending % 2 === 1) {
        this.oddByte = true
        this.invalid = true
        text += REPLACEMENT
      }
      this.pending = 0
    } else {
      this.position += n
      text = this.decoder.write(this.raw.subarray(0, n))
      this.pending += n - this.sourceLength(text)
    }
    return text
  }

  /**
   * Puts the text left over, else RAW_CHUNK more bytes decoded, into the buffer. What does not fit
   * throws line_too_long ('throw') or waits in `carry` ('skip').
   */
  private fill(): void {
    const text = this.carry !== '' ? this.carry : this.decodeMore()
    this.carry = ''
    if (text === '') return
    if (!this.invalid && (this.utf16() ? !isWellFormed(text) : text.includes(REPLACEMENT))) this.invalid = true
    const size = Buffer.byteLength(text, 'utf8')
    if (this.filled + size > this.buffer.length) {
      if (this.longLines === 'throw') throw graphError('line_too_long', TOO_LONG_LINE)
      // whole characters only; the rest is counted in UTF-16 units, as the decoded text is held
      const written = this.buffer.write(text, this.filled, 'utf8')
      this.carry = text.slice(this.buffer.toString('utf8', this.filled, this.filled + written).length)
      this.filled += written
      return
    }
    this.filled += this.buffer.write(text, this.filled, 'utf8')
  }

  private utf16 = () => this.encoding === 'utf-16le' || this.encoding === 'utf-16be'

  /** Bytes `text` takes in the file's encoding. */
  private sourceLength(text: string): number {
    return this.utf16() ? 2 * text.length : iconv.encode(text, this.encoding).length
  }

  /** Lines of `bytes` (a package) holding U+FFFD where the file held no character there, with why. */
  private brokenLines(bytes: Buffer, last: boolean): Map<number, string> {
    const broken = new Map<number, string>()
    const name = encodingName(this.encoding)
    let line = 0
    for (let from = 0; from < bytes.length; line++) {
      let end = bytes.indexOf(NEWLINE, from)
      if (end === -1) end = bytes.length
      const at = bytes.subarray(from, end).indexOf(REPLACEMENT_BYTES)
      if (at !== -1) {
        const char = bytes.toString('utf8', from, from + at).length + 1
        const atEnd = last && end >= bytes.length - 1 && this.oddByte
        broken.set(line, atEnd ? `the line is not valid ${name}: the file ends with an odd number of bytes` : `the line is not valid ${name} (from character ${char} of the line)`)
      }
      from = end + 1
    }
    return broken
  }
}
