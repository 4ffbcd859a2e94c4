// How long one engine tick may work before it yields the event loop. The engine shares the main
// thread with the HTTP server (and the window): a tick that settles or starts 100k tasks at once
// left the server unanswering for minutes. A tick now stops when its slice is used up; what is
// left continues in the next tick, after pending I/O (a status probe, a callback) has run. What a
// tick will store counts too: eight tasks settling 3 MB values each in one tick held the thread
// ~420 ms to serialize and write them in its one commit, however little time settling them took.

/** Default slice of one tick, in ms; a tick's commit comes on top of it. */
export const TICK_SLICE_MS = 20
/**
 * Most changed tasks one tick commits. Saving a task costs more than deciding its next state
 * (a pass task), so the commit is bounded by counting changes, not only by time. 100, not 250:
 * at a load of 6–8 on two cores a 250-change commit of a 200k-item foreach took 100–300 ms, and
 * a status probe waited for it; 100 keeps each turn short with the same throughput (#9 §2).
 */
export const TICK_MAX_CHANGES = 100
/**
 * Most bytes of task values (JSON) one tick stores, past the first value: 4 MB is 40-110 ms of
 * serializing, checking and writing on the main thread here (a 3 MB value alone: 15-60 ms), so a tick
 * of many large outputs leaves the rest to the next ticks instead of holding a status probe (#9 §2).
 */
export const TICK_MAX_BYTES = 4 << 20

export class TickBudget {
  private deadline = Number.POSITIVE_INFINITY
  private bytes = 0

  constructor(
    private readonly sliceMs: number = TICK_SLICE_MS,
    private readonly maxChanges: number = TICK_MAX_CHANGES,
    private readonly now: () => number = () => performance.now(),
    private readonly maxBytes: number = TICK_MAX_BYTES,
  ) {}

  /** A new slice starts now (a tick, or an outside call such as a callback acting on a job). */
  start(): void {
    this.deadline = this.now() + this.sliceMs
    this.bytes = 0
  }

  /** Counts `bytes` of values the slice will store (a task's input or output, as store/state-json.ts prepareStateJson measures it). */
  charge(bytes: number): void {
    this.bytes += bytes
  }

  /**
   * Whether the slice is used up (time, `changes` made so far, or bytes charged): the caller stops and
   * leaves the rest to the next tick.
   */
  spent(changes: number): boolean {
    return changes >= this.maxChanges || this.bytes >= this.maxBytes || this.now() >= this.deadline
  }
}
