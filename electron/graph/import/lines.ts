// A package's bytes into text lines: \n or \r\n ends a line, a UTF-8 byte-order mark at the start
// of a file is dropped (TuGraph's docs ask for none; a mature importer just ignores it), and a
// line that is not valid UTF-8 is kept aside with the byte where it goes wrong, instead of being
// decoded with replacement characters behind the user's back.
import { isAscii, isUtf8 } from 'node:buffer'

const NEWLINE = 0x0a
const CR = 0x0d
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

export interface PackageLines {
  lines: string[]
  /** Index in `lines` → why that line cannot be read. */
  broken: Map<number, string>
  /** True when a byte-order mark was dropped from the front. */
  bom: boolean
}

/**
 * A package's lines as byte ranges of the package (no string per line: imports read fields straight
 * out of the bytes). Line i is bytes[starts[i], ends[i]) — the same lines as splitLines gives, without
 * their \r\n or \n — for i < count (the arrays may be longer: they are reused).
 */
export interface PackageText {
  /** The package without its byte-order mark. */
  bytes: Buffer
  starts: Uint32Array
  ends: Uint32Array
  count: number
  /** Every byte is ASCII: text decodes as latin1, the fastest way. */
  ascii: boolean
  /** Index of a line → why it cannot be read (not valid UTF-8). */
  broken: Map<number, string>
  bom: boolean
}

/** Reusable line bounds for packageText (so a package allocates none). */
export class LineBounds {
  starts = new Uint32Array(4096)
  ends = new Uint32Array(4096)

  grow(): void {
    const starts = new Uint32Array(this.starts.length * 2)
    const ends = new Uint32Array(this.ends.length * 2)
    starts.set(this.starts)
    ends.set(this.ends)
    this.starts = starts
    this.ends = ends
  }
}

/**
 * A package's bytes as a PackageText (see splitLines for the rules). `bounds` are reused when given;
 * `decodedBroken`: lines a decoded package (text-encoding.ts) found invalid in the file's encoding.
 */
export function packageText(bytes: Buffer, atFileStart: boolean, bounds = new LineBounds(), decodedBroken?: Map<number, string>): PackageText {
  const bom = atFileStart && bytes.subarray(0, 3).equals(BOM)
  const body = bom ? bytes.subarray(3) : bytes
  const length = body.length
  let count = 0
  for (let start = 0; start < length; count++) {
    let end = body.indexOf(NEWLINE, start)
    if (end === -1) end = length
    if (count === bounds.starts.length) bounds.grow()
    bounds.starts[count] = start
    bounds.ends[count] = end > start && body[end - 1] === CR ? end - 1 : end
    start = end + 1
  }
  const ascii = isAscii(body)
  const broken = new Map<number, string>(decodedBroken)
  if (!ascii && !isUtf8(body)) {
    for (let i = 0; i < count; i++) {
      const line = body.subarray(bounds.starts[i], bounds.ends[i])
      if (!isUtf8(line)) broken.set(i, brokenReason(line))
    }
  }
  return { bytes: body, starts: bounds.starts, ends: bounds.ends, count, ascii, broken, bom }
}

/** Line i of a package as text. */
export const lineText = (pkg: PackageText, i: number): string => pkg.bytes.toString(pkg.ascii ? 'latin1' : 'utf8', pkg.starts[i], pkg.ends[i])

/** Lines (as splitLines gives them) as a PackageText. */
export function linesText({ lines, broken, bom }: PackageLines): PackageText {
  const pieces = lines.map((l) => Buffer.from(l, 'utf8'))
  const starts = new Uint32Array(lines.length)
  const ends = new Uint32Array(lines.length)
  let at = 0
  pieces.forEach((b, i) => {
    starts[i] = at
    ends[i] = at + b.length
    at = ends[i] + 1
  })
  const bytes = Buffer.from(lines.join('\n'), 'utf8')
  return { bytes, starts, ends, count: lines.length, ascii: isAscii(bytes), broken, bom }
}

const brokenReason = (line: Buffer) => `the line is not valid UTF-8 (from byte ${firstInvalidByte(line) + 1} of the line)`

export function splitLines(bytes: Buffer, atFileStart: boolean): PackageLines {
  const bom = atFileStart && bytes.subarray(0, 3).equals(BOM)
  const body = bom ? bytes.subarray(3) : bytes
  const broken = new Map<number, string>()
  let lines: string[]
  if (isUtf8(body)) {
    lines = body.toString('utf8').split('\n')
  } else {
    lines = []
    let start = 0
    while (start <= body.length) {
      let end = body.indexOf(NEWLINE, start)
      if (end === -1) end = body.length
      const line = body.subarray(start, end)
      if (!isUtf8(line)) broken.set(lines.length, brokenReason(line))
      lines.push(line.toString('utf8'))
      start = end + 1
    }
  }
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop() // the package ends with \n
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]
    if (l.charCodeAt(l.length - 1) === 13) lines[i] = l.slice(0, -1)
  }
  return { lines, broken, bom }
}

/** Offset of the first byte at which `bytes` stops being valid UTF-8 (a binary search over prefixes). */
export function firstInvalidByte(bytes: Buffer): number {
  let lo = 0 // bytes[0, lo) is valid …
  let hi = bytes.length // … bytes[0, hi) is not
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    // A prefix cut inside a multi-byte character is invalid too: allow up to 3 bytes of a character.
    if (isUtf8(bytes.subarray(0, mid)) || [1, 2, 3].some((k) => mid + k <= bytes.length && isUtf8(bytes.subarray(0, mid + k)))) lo = mid
    else hi = mid
  }
  return lo
}
