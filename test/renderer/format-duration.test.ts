// Durations as every view shows them (#13.3, trial): a run of quick tasks reads in ms, not "0.0 s".
import { describe, expect, it } from 'vitest'
import { formatDuration } from '../../renderer/src/features/jobs/format'

describe('formatDuration', () => {
  it('counts ms below a second, then seconds, minutes and hours', () => {
    const at = (ms: number) => formatDuration(1_000, 1_000 + ms)
    expect([0, 4, 49, 999.4].map(at)).toEqual(['0 ms', '4 ms', '49 ms', '999 ms'])
    expect([999.6, 1_000, 2_540, 14_000, 185_000, 7_800_000].map(at)).toEqual(['1.0 s', '1.0 s', '2.5 s', '14 s', '3 min 5 s', '2 h 10 min'])
  })

  it('runs to now while there is no end, and says "—" before a start', () => {
    expect(formatDuration(1_000, null, 1_250)).toBe('250 ms')
    expect(formatDuration(null, null)).toBe('—')
  })
})
