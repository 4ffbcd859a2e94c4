import type { Clock } from '../../electron/clock'

/** A clock that moves only when told, so retry backoffs and timeouts take no real time. */
export class ManualClock implements Clock {
  private time = 1_700_000_000_000
  private timers = new Map<number, { at: number; fn: () => void }>()
  private nextId = 1

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++
    this.timers.set(id, { at: this.time + ms, fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number)
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const end = this.time + ms
    for (;;) {
      const due = [...this.timers].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0]
      if (!due) break
      this.timers.delete(due[0])
      this.time = Math.max(this.time, due[1].at)
      due[1].fn()
    }
    this.time = end
  }

  get pending(): number {
    return this.timers.size
  }
}

/** Lets queued setImmediate ticks and promise callbacks run. */
export async function settle(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r))
}
