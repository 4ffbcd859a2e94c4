// #9, importwords: one size formatter for the whole app (shared/number-format.ts formatSize), in
// binary units named as such: the Imports page said "32.0 MB of 37.4 MB" for 32 MiB of 37.4 MiB
// (its own formatBytes divided by 1,048,576 and wrote MB), while server messages wrote MiB.
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatSize } from '../../shared/number-format'

describe('formatSize', () => {
  it('writes bytes, KiB, MiB and GiB, each its unit of 1,024 of the one before, to one decimal', () => {
    expect(formatSize(0)).toBe('0 B')
    expect(formatSize(1023)).toBe('1,023 B')
    expect(formatSize(1024)).toBe('1 KiB')
    expect(formatSize(65_536)).toBe('64 KiB')
    expect(formatSize(1536)).toBe('1.5 KiB')
    expect(formatSize(2 ** 20 - 1)).toBe('1,024 KiB') // rounds at one decimal, in the unit it is below
    expect(formatSize(32 * 2 ** 20)).toBe('32 MiB')
    expect(formatSize(39_216_333)).toBe('37.4 MiB')
    expect(formatSize(268_435_456)).toBe('256 MiB')
    expect(formatSize(21_474_836_480)).toBe('20 GiB')
  })

  it('is the one size formatter: no page or message turns bytes into MB or KB on its own', () => {
    // a size written with toFixed and a unit of its own, anywhere but shared/number-format.ts (git grep exits 1 on no match)
    let found = ''
    try {
      found = execFileSync('git', ['grep', '-nE', 'toFixed\\([0-9]\\)\\} ?[KMG]i?B\\b', '--', 'electron', 'renderer/src', 'shared'], { encoding: 'utf8', cwd: join(__dirname, '..', '..') })
    } catch (e) {
      if ((e as { status?: number }).status !== 1) throw e
    }
    expect(found).toBe('')
  })
})
