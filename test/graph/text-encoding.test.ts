// DecodingPackageReader (text-encoding.ts): a UTF-16 or GBK file read as packages of UTF-8 lines,
// cut by the same rule as a UTF-8 file's, covering the file's bytes exactly (progress counts them).
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import iconv from 'iconv-lite'
import { afterAll, describe, expect, it } from 'vitest'
import { openPackages, type ImportEncoding } from '../../electron/graph/import/text-encoding'
import type { Package } from '../../electron/graph/import/packages'

const dir = mkdtempSync(join(tmpdir(), 'jobdesk-enc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function readAll(bytes: Buffer, asked: ImportEncoding, softBytes: number): { encoding: ImportEncoding; packages: (Package & { text: string })[] } {
  const file = join(dir, `f${Math.random()}`)
  writeFileSync(file, bytes)
  const fd = openSync(file, 'r')
  try {
    const opened = openPackages(fd, asked, softBytes)
    const packages: (Package & { text: string })[] = []
    for (let p = opened.reader.next(); p; p = opened.reader.next()) packages.push({ ...p, text: p.bytes.toString('utf8') })
    return { encoding: opened.encoding, packages }
  } finally {
    closeSync(fd)
  }
}

// Lines of every width around the 64 KiB reads, with characters of 1 to 4 UTF-8 bytes (a pair in UTF-16).
const lines = Array.from({ length: 3000 }, (_, i) => `${i},${'aé中🌍'.repeat(i % 40)}`)
const text = `${lines.join('\r\n')}\r\n`

describe('DecodingPackageReader', () => {
  for (const [name, bytes, asked] of [
    ['UTF-16LE with a mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'utf-8'],
    ['UTF-16BE with a mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]), 'utf-8'],
    ['GB18030 asked for', iconv.encode(text, 'gb18030'), 'gb18030'],
  ] as const) {
    it(`reads ${name} as UTF-8 packages cut at line ends that cover the file's bytes`, () => {
      const { packages } = readAll(bytes, asked, 10_000)
      expect(packages.length).toBeGreaterThan(10)
      expect(packages.map((p) => p.text).join('')).toBe(text)
      for (const p of packages) {
        expect(p.text.endsWith('\n')).toBe(true)
        if (p !== packages.at(-1)) expect(p.bytes.length).toBeGreaterThanOrEqual(10_000) // soft size, then on to the line's end
        expect(p.broken).toBeUndefined()
      }
      expect(packages.map((p) => p.start)).toEqual(packages.map((_, i) => (i === 0 ? 0 : packages[i - 1].start + packages[i - 1].sourceBytes!)))
      expect(packages.reduce((n, p) => n + p.sourceBytes!, 0)).toBe(bytes.length)
    })
  }

  it('marks the line of a lone surrogate, counted within its package', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const at = 2 + 2 * text.indexOf('\r\n2000,') + 2 * '\r\n2000,'.length
    bytes.writeUInt16LE(0xdc00, at) // a low surrogate alone where an 'a' was
    const { packages } = readAll(bytes, 'utf-8', 10_000)
    let before = 0
    const found: [number, string][] = []
    for (const p of packages) {
      for (const [i, why] of p.broken ?? []) found.push([before + i + 1, why])
      before += p.text.split('\n').length - 1
    }
    expect(found).toEqual([[2001, 'the line is not valid UTF-16LE (from character 6 of the line)']])
  })

  it('leaves a UTF-8 file to PackageReader, with or without its mark', () => {
    expect(readAll(Buffer.from(`\ufeff${text}`), 'utf-8', 10_000).encoding).toBe('utf-8')
    expect(readAll(Buffer.from(text), 'utf-8', 10_000).packages[0].sourceBytes).toBeUndefined()
  })
})
