// A line too long for a package is told by its error code, line_too_long, keeping TuGraph's text
// ("too long input line"): the file preview matched the message text to tell it from other read
// errors (#9 code health).
import { closeSync, openSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import iconv from 'iconv-lite'
import { PackageReader, TOO_LONG_LINE, type Package } from '../../electron/graph/import/packages'
import { openPackages } from '../../electron/graph/import/text-encoding'
import { tempDir } from '../support/temp-store'

describe('import packages', () => {
  it('refuses a line longer than a package (past its 1 MiB allowance) with line_too_long and TuGraph\'s text', () => {
    const file = join(tempDir(), 'long.csv')
    writeFileSync(file, `${'x'.repeat(1_200_000)}\n1\n`)
    const fd = openSync(file, 'r')
    try {
      expect(() => new PackageReader(fd, 1000).next()).toThrow(expect.objectContaining({ code: 'line_too_long', message: TOO_LONG_LINE }))
    } finally {
      closeSync(fd)
    }
  })

  it.each(['utf-8', 'utf-16le'] as const)('with longLines skip (%s): whole lines, then the long line alone; the packages cover the file', (encoding) => {
    const text = `a\nb\n${'x'.repeat(1_200_000)}\nc\n${'y'.repeat(1_100_000)}`
    const bytes = encoding === 'utf-8' ? Buffer.from(text) : Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, encoding)])
    const file = join(tempDir(), 'long.csv')
    writeFileSync(file, bytes)
    const fd = openSync(file, 'r')
    const packages: Package[] = []
    try {
      const { reader } = openPackages(fd, encoding, 1000, undefined, 'skip')
      for (let p = reader.next(); p; p = reader.next()) packages.push({ ...p, bytes: Buffer.from(p.bytes) })
    } finally {
      closeSync(fd)
    }
    const unit = encoding === 'utf-8' ? 1 : 2
    expect(packages.map((p) => (p.longLine === undefined ? p.bytes.toString() : `long ${p.longLine / unit}`))).toEqual(['a\nb\n', 'long 1200000', 'c\n', 'long 1100000'])
    // each package starts where the one before ended, and the last ends with the file (a decoded file's first counts its byte-order mark)
    let at = 0
    for (const p of packages) {
      expect(p.start).toBe(at)
      at += p.sourceBytes ?? p.bytes.length
    }
    expect(at).toBe(bytes.length)
  })
})
