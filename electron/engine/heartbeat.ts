import type { HeartbeatRepository } from '../store/heartbeat.repository'
import type { Clock } from '../clock'

/** How often a running engine records that it is alive, in ms: a crash's end time is known to within this. */
export const HEARTBEAT_MS = 10_000

/**
 * While the engine has live jobs, records "alive at" in the store every `everyMs` (one small write;
 * none while nothing runs), so that after a crash (kill -9, power loss) recovery ends the interrupted
 * tasks when JobDesk was last seen running rather than at the restart (newuser3: a killed job's
 * duration counted the whole downtime). A write the database refuses (locked) is skipped: the next
 * beat, or at worst the restart's time, stands in.
 */
export class Heartbeat {
  private timer: unknown

  /**
   * `live()`: whether the engine still has live jobs (beats stop when it has none); `writable()`: whether
   * a write may be tried now (not while the engine itself waits out another program's lock).
   */
  constructor(
    private readonly store: HeartbeatRepository,
    private readonly clock: Clock,
    private readonly live: () => boolean,
    private readonly writable: () => boolean,
    private readonly everyMs = HEARTBEAT_MS,
  ) {}

  /** A job became live: records now, then every `everyMs` while any is; a no-op while already beating. */
  keep(): void {
    if (this.timer !== undefined) return
    this.beat()
    const next = () => {
      this.timer = undefined
      if (!this.live()) return
      this.beat()
      this.timer = this.clock.setTimeout(next, this.everyMs)
    }
    this.timer = this.clock.setTimeout(next, this.everyMs)
  }

  /** No more beats (the engine stops: its shutdown records each task's own end). */
  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer)
    this.timer = undefined
  }

  private beat(): void {
    if (!this.writable()) return
    try {
      this.store.set(this.clock.now())
    } catch {
      // a lock or a full disk: the next beat tries again; recovery falls back to the restart's time
    }
  }
}
