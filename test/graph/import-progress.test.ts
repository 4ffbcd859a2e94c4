// An import run's progress (import-progress.ts): sent every 200 ms or every eighth of a package (64 KiB
// at the least), whichever comes first, so a package is seen moving however fast the machine imports it. The clock
// is vitest's fake one: no test waits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ImportProgress, type ImportProgressEvent } from '../../electron/graph/import/import-progress'
import { newReport, reportChange } from '../../electron/graph/import/report'

const PACKAGE = 8_000_000 // bytes: an eighth is 1,000,000
const report = { ...newReport('t1', 'default', [], []), bytesTotal: 80_000_000, imported: 5, failed: 1 }

beforeEach(() => {
  vi.useFakeTimers()
  vi.setSystemTime(1_000_000)
})
afterEach(() => vi.useRealTimers())

describe('ImportProgress', () => {
  it('sends between batches every 200 ms or every eighth of a package, whichever comes first', () => {
    const sent: ImportProgressEvent[] = []
    const progress = new ImportProgress((e) => sent.push(e), PACKAGE)
    progress.planned(report)
    expect(sent).toEqual([{ type: 'progress', bytesDone: 0, bytesTotal: 80_000_000, imported: 5, failed: 1, rowsPerSecond: 0, report }])
    progress.between(10_000, report) // the first check sends, however soon after the plan
    progress.between(500_000, report)
    vi.advanceTimersByTime(100)
    progress.between(1_009_999, report)
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10_000])
    progress.between(1_010_000, report) // an eighth since the last
    vi.advanceTimersByTime(199)
    progress.between(1_100_000, report)
    vi.advanceTimersByTime(1)
    progress.between(1_200_000, report) // 200 ms since the last
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10_000, 1_010_000, 1_200_000])
    progress.send(1_300_000, report, reportChange(report, [])) // a commit sends at once, and counts as the last
    progress.between(1_400_000, report)
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10_000, 1_010_000, 1_200_000, 1_300_000])
    expect(sent.at(-1)).toMatchObject({ change: { files: [] } })
  })

  it('sends by bytes no closer than 64 KiB, however small the packages', () => {
    const sent: number[] = []
    const progress = new ImportProgress((e) => sent.push(e.bytesDone), 16) // an eighth would be 2 bytes
    progress.between(0, report)
    progress.between(65_535, report)
    expect(sent).toEqual([0])
    progress.between(65_536, report)
    expect(sent).toEqual([0, 65_536])
  })

  it('rates the rows this run handled and counts the time of earlier runs in the elapsed', () => {
    const progress = new ImportProgress(() => undefined, PACKAGE)
    expect(progress.rate()).toBe(0)
    progress.resumed(1_000)
    progress.count(40)
    progress.count(10)
    vi.advanceTimersByTime(2_000)
    expect(progress.rate()).toBe(25)
    expect(progress.elapsed()).toBe(3_000)
  })
})
