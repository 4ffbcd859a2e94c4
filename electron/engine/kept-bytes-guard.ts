// A running job's state counts into what its submitter's jobs keep as it is written (store/kept-bytes.ts,
// migration 037), so a submit is refused once they keep their quota (app.ts admit); but one job
// alone may store far more than the quota leaves (a chain of 20 pass tasks over a 1 MB context keeps
// 40 MB). So each commit of the engine's writes is checked, in its transaction: when it grew what a
// submitter's jobs keep past what they may keep (by more than MAX_KEPT_OVERRUN), it throws KeptBytesExceeded and rolls back; the
// engine then commits job by job (isolation.ts), and the jobs whose own writes pass the quota are failed
// with the reason, their new values not stored (Engine.isolate).
// The same commit is weighed against what a submitter's unfinished jobs may hold in memory
// (shared/quotas.ts MAX_HELD_WORK_PER_USER.bytes: the state of their live jobs, migration 041): a commit
// that grows it past the bound throws HeldBytesExceeded, one of KeptBytesExceeded (same rollback, same
// end of the job). No overrun margin there: a job's end (a status save) stores nothing more and passes.
import { heldBytesTooMuchMessage, keptTooMuchMessage, MAX_KEPT_OVERRUN } from '../../shared/quotas'
import type { KeptBytes } from '../store/kept-bytes'

/** What `submitter`'s jobs may keep in all, in bytes, or null for no bound (an admin). */
export type KeptLimitOf = (submitter: string) => number | null

/** A commit would make `submitter`'s jobs keep `kept` bytes, past `max`. */
export class KeptBytesExceeded extends Error {
  constructor(
    readonly submitter: string,
    readonly kept: number,
    readonly max: number,
    message = keptTooMuchMessage(submitter, kept, max),
  ) {
    super(message)
    this.name = 'KeptBytesExceeded'
  }
}

/** A commit would make `submitter`'s unfinished jobs hold `kept` bytes of state, past `max` (MAX_HELD_WORK_PER_USER.bytes). */
export class HeldBytesExceeded extends KeptBytesExceeded {
  constructor(submitter: string, held: number, max: number) {
    super(submitter, held, max, heldBytesTooMuchMessage(submitter, held, max))
    this.name = 'HeldBytesExceeded'
  }
}

/** A check made after a commit's writes, in its transaction (watchKeptBytes). */
export interface KeptBytesWatch {
  /**
   * Throws KeptBytesExceeded for the first submitter whose jobs keep more than before the writes, and
   * more than they may by over MAX_KEPT_OVERRUN (a job's end past a result cut at the quota is stored);
   * HeldBytesExceeded for one whose unfinished jobs' state grew past what `heldLimitOf` allows.
   */
  check(): void
}

const NO_WATCH: KeptBytesWatch = { check() {} }

/** What one bounded submitter had before a commit's writes, and may have. */
interface Before {
  kept: number
  maxKept: number | null
  held: number
  maxHeld: number | null
}

/**
 * Call inside the commit's transaction, before its writes: reads what each bounded one of
 * `submitters` keeps now, and what their unfinished jobs hold (one row each), so that `check()` after
 * the writes can tell what they added. `heldLimitOf`: what a submitter's unfinished jobs' state may
 * take, in bytes, or null for no bound. A commit that adds nothing (a status change), or takes away,
 * passes even over a bound: a job's end is always stored.
 */
export function watchKeptBytes(kept: KeptBytes, limitOf: KeptLimitOf, submitters: Iterable<string>, heldLimitOf: KeptLimitOf = () => null): KeptBytesWatch {
  const before = new Map<string, Before>()
  for (const s of submitters) {
    if (before.has(s)) continue
    const maxKept = limitOf(s)
    const maxHeld = heldLimitOf(s)
    if (maxKept === null && maxHeld === null) continue
    before.set(s, { kept: maxKept === null ? 0 : kept.ofSubmitter(s), maxKept, held: maxHeld === null ? 0 : kept.liveStateOf(s), maxHeld })
  }
  if (!before.size) return NO_WATCH
  return {
    check() {
      for (const [s, was] of before) {
        if (was.maxKept !== null) {
          const now = kept.ofSubmitter(s)
          if (now > was.kept && now > was.maxKept + MAX_KEPT_OVERRUN) throw new KeptBytesExceeded(s, now, was.maxKept)
        }
        if (was.maxHeld !== null) {
          const now = kept.liveStateOf(s)
          if (now > was.held && now > was.maxHeld) throw new HeldBytesExceeded(s, now, was.maxHeld)
        }
      }
    },
  }
}
