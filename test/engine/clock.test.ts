// Long timers (#9): Node's setTimeout clamps a delay over 2^31-1 ms (~24.8 days) to 1 ms, so a Rill
// Flow `timeoutInSeconds: "3000000"` failed its task at once. The engine's clock re-arms in steps.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { chainedTimeout, MAX_TIMER_MS, systemClock } from '../../electron/clock'

afterEach(() => {
  vi.useRealTimers()
})

describe('the system clock', () => {
  it('fires a delay of 3,000,000 s after 3,000,000 s, not at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const fired = vi.fn()
    systemClock.setTimeout(fired, 3_000_000 * 1000)
    vi.advanceTimersByTime(1000)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(MAX_TIMER_MS)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(3_000_000 * 1000 - MAX_TIMER_MS - 1001)
    expect(fired).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fired).toHaveBeenCalledTimes(1)
  })

  it('clears a long timer in any of its steps', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const fired = vi.fn()
    const handle = systemClock.setTimeout(fired, 3 * MAX_TIMER_MS)
    vi.advanceTimersByTime(MAX_TIMER_MS + 5) // into its second step
    systemClock.clearTimeout(handle)
    vi.advanceTimersByTime(3 * MAX_TIMER_MS)
    expect(fired).not.toHaveBeenCalled()
  })
})

describe('chainedTimeout', () => {
  it('arms no step over the cap and fires once at the target time', () => {
    let now = 0
    const armed: { fn: () => void; ms: number }[] = []
    const arm = (fn: () => void, ms: number) => {
      armed.push({ fn, ms })
      return undefined as unknown as NodeJS.Timeout
    }
    const fired = vi.fn()
    chainedTimeout(fired, 2500, arm, () => now, 1000)
    for (let i = 0; armed.length > i; i++) {
      now += armed[i].ms
      armed[i].fn()
    }
    expect(armed.map((a) => a.ms)).toEqual([1000, 1000, 500])
    expect(fired).toHaveBeenCalledTimes(1)
    expect(now).toBe(2500)
  })

  it('arms a short delay as one timer', () => {
    const armed: number[] = []
    chainedTimeout(() => undefined, 10, (_f, ms) => (armed.push(ms), undefined as unknown as NodeJS.Timeout), () => 0, 1000)
    expect(armed).toEqual([10])
  })
})
