// How a running algorithm hears "stop" and reports how far it is. Inner loops call `tick()` once
// per unit of work (an edge, a vertex); every 16384 ticks it reads the stop flag (one Int32 in
// shared memory the main thread sets) and throws AlgorithmStopped, so a cancel lands within
// milliseconds, not at the end of a pass.

/** Thrown out of an algorithm when its run was asked to stop. */
export class AlgorithmStopped extends Error {
  constructor() {
    super('stopped')
    this.name = 'AlgorithmStopped'
  }
}

export interface AlgorithmControl {
  /** Counts one unit of work; throws AlgorithmStopped when a stop was asked for. */
  tick(): void
  /** Counts `units` units of work at once (a vertex with its edges); throws AlgorithmStopped as tick does. */
  work(units: number): void
  /** Reads the stop flag now; throws AlgorithmStopped when a stop was asked for. */
  check(): void
  /** How far the run is, 0..1 (throttled by the receiver). */
  progress(fraction: number): void
  log(text: string): void
}

const CHECK_EVERY = 16384

/** A control reading `stopped()` every CHECK_EVERY ticks. */
export function createControl(stopped: () => boolean, hooks: { progress?(f: number): void; log?(text: string): void } = {}): AlgorithmControl {
  let ticks = 0
  const check = () => {
    if (stopped()) throw new AlgorithmStopped()
  }
  const work = (units: number) => {
    ticks += units
    if (ticks >= CHECK_EVERY) {
      ticks = 0
      check()
    }
  }
  return {
    tick: () => work(1),
    work,
    check,
    progress: (f) => hooks.progress?.(Math.max(0, Math.min(1, f))),
    log: (text) => hooks.log?.(text),
  }
}

/** A control that never stops and reports nothing (tests, the bench). */
export const freeRunning = (): AlgorithmControl => createControl(() => false)
