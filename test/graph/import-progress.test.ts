// An import run's progress (import-progress.ts): sent every 200 ms or every eighth of a package,
// whichever comes first, so a package is seen moving however fast the machine imports it. The clock
// is vitest's fake one: no test waits.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ImportProgress, type ImportProgressEvent } from '../../electron/graph/import/import-progress'
import { newReport, reportChange } from '../../electron/graph/import/report'

const PACKAGE = 8_000 // bytes: an eighth is 1,000
const report = { ...newReport('t1', 'default', [], []), bytesTotal: 80_000, imported: 5, failed: 1 }

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
    expect(sent).toEqual([{ type: 'progress', bytesDone: 0, bytesTotal: 80_000, imported: 5, failed: 1, rowsPerSecond: 0, report }])
    progress.between(10, report) // the first check sends, however soon after the plan
    progress.between(500, report)
    vi.advanceTimersByTime(100)
    progress.between(1_009, report)
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10])
    progress.between(1_010, report) // an eighth since the last
    vi.advanceTimersByTime(199)
    progress.between(1_100, report)
    vi.advanceTimersByTime(1)
    progress.between(1_200, report) // 200 ms since the last
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10, 1_010, 1_200])
    progress.send(1_300, report, reportChange(report, [])) // a commit sends at once, and counts as the last
    progress.between(1_400, report)
    expect(sent.map((e) => e.bytesDone)).toEqual([0, 10, 1_010, 1_200, 1_300])
    expect(sent.at(-1)).toMatchObject({ change: { files: [] } })
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
