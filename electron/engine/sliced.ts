// Long loops of the engine that run outside its ticks (a restart's recovery of a job of 100k tasks) are
// written as generators that yield every SLICE_STEP items: a caller runs one at once (drain) or over
// several turns of the event loop (runSliced), so that the server answers between its slices.
import { noteActivity } from '../stall-watch'
import { TICK_SLICE_MS } from './budget'

/** How many items a sliced loop handles between two yields (each yield is a look at the clock). */
export const SLICE_STEP = 500

/** Runs `work` to its end in this turn and returns what it returns: for callers that must not wait. */
export function drain<T>(work: Generator<void, T, void>): T {
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
  }
}

/** What runSliced rejects with when `stopped()` says to stop between two slices. */
export class SlicedWorkStopped extends Error {
  constructor() {
    super('stopped between two slices')
    this.name = 'SlicedWorkStopped'
  }
}

/**
 * Runs `work` in slices of `sliceMs` (ms of this thread's time, the engine tick's slice by default),
 * yielding the event loop between two (setImmediate: pending I/O, a status probe, runs first), and
 * resolves with what it returns. `label` (a constant string) names each slice in stall reports.
 * Rejects with SlicedWorkStopped when `stopped()` is true at a slice's start (the engine stops: the
 * rest is left undone), or with what `work` throws.
 */
export async function runSliced<T>(work: Generator<void, T, void>, label: string, stopped: () => boolean = () => false, sliceMs = TICK_SLICE_MS): Promise<T> {
  noteActivity(label)
  let deadline = performance.now() + sliceMs
  for (;;) {
    const step = work.next()
    if (step.done) return step.value
    if (performance.now() < deadline) continue
    await new Promise<void>((ok) => setImmediate(ok))
    if (stopped()) {
      work.return(undefined as T) // its finally blocks run: what it holds is let go
      throw new SlicedWorkStopped()
    }
    noteActivity(label)
    deadline = performance.now() + sliceMs
  }
}
