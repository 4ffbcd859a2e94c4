// Moments as the lists write them: the Jobs table's formatTime and the Workflows run panel's
// shortTime agree on the day; shortTime leaves an earlier day's time to the title (fullTime).
import { describe, expect, it } from 'vitest'
import { formatTime, fullTime, shortTime } from '../../renderer/src/features/jobs/format'

const DAY = 24 * 3600 * 1000

describe('shortTime', () => {
  it('writes today’s run as formatTime does, its time to the second', () => {
    const now = Date.now()
    expect(shortTime(now)).toBe(formatTime(now))
    expect(shortTime(now)).toMatch(/^\d{2}:\d{2}:\d{2}$/)
  })

  it('writes an earlier day’s run as its day alone, the day formatTime writes before the time', () => {
    const earlier = Date.now() - 3 * DAY
    expect(formatTime(earlier)).toMatch(new RegExp(`^${shortTime(earlier)} \\d{2}:\\d{2}:\\d{2}$`))
    expect(shortTime(earlier)).not.toMatch(/:/)
    expect(fullTime(earlier)).toContain(String(new Date(earlier).getFullYear()))
  })

  it('says "—" for no time', () => {
    expect(shortTime(null)).toBe('—')
  })
})
