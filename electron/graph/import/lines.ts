// A package's bytes into text lines: \n or \r\n ends a line, a UTF-8 byte-order mark at the start
// of a file is dropped (TuGraph's docs ask for none; a mature importer just ignores it), and a
// line that is not valid UTF-8 is kept aside with the byte where it goes wrong, instead of being
// decoded with replacement characters behind the user's back.
import { isUtf8 } from 'node:buffer'

const NEWLINE = 0x0a
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

export interface PackageLines {
  lines: string[]
  /** Index in `lines` → why that line cannot be read. */
  broken: Map<number, string>
  /** True when a byte-order mark was dropped from the front. */
  bom: boolean
}

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
      if (!isUtf8(line)) broken.set(lines.length, `the line is not valid UTF-8 (from byte ${firstInvalidByte(line) + 1} of the line)`)
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
function firstInvalidByte(bytes: Buffer): number {
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
