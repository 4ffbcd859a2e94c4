// A running job's state counts into what its submitter's jobs keep as it is written (store/kept-bytes.ts,
// migration 037), so a submit is refused once they keep their quota (app.ts admit); but one job
// alone may store far more than the quota leaves (a chain of 20 pass tasks over a 1 MB context keeps
// 40 MB). So each commit of the engine's writes is checked, in its transaction: when it grew what a
// submitter's jobs keep past what they may keep (by more than MAX_KEPT_OVERRUN), it throws KeptBytesExceeded and rolls back; the
// engine then commits job by job (isolation.ts), and the jobs whose own writes pass the quota are failed
// with the reason, their new values not stored (Engine.isolate).
import { keptTooMuchMessage, MAX_KEPT_OVERRUN } from '../../shared/quotas'
import type { KeptBytes } from '../store/kept-bytes'

/** What `submitter`'s jobs may keep in all, in bytes, or null for no bound (an admin). */
export type KeptLimitOf = (submitter: string) => number | null

/** A commit would make `submitter`'s jobs keep `kept` bytes, past `max`. */
export class KeptBytesExceeded extends Error {
  constructor(
    readonly submitter: string,
    readonly kept: number,
    readonly max: number,
  ) {
    super(keptTooMuchMessage(submitter, kept, max))
    this.name = 'KeptBytesExceeded'
  }
}

/** A check made after a commit's writes, in its transaction (watchKeptBytes). */
export interface KeptBytesWatch {
  /**
   * Throws KeptBytesExceeded for the first submitter whose jobs keep more than before the writes, and
   * more than they may by over MAX_KEPT_OVERRUN (a job's end past a result cut at the quota is stored).
   */
  check(): void
}

const NO_WATCH: KeptBytesWatch = { check() {} }

/**
 * Call inside the commit's transaction, before its writes: reads what each bounded one of
 * `submitters` keeps now (one row each), so that `check()` after the writes can tell what they added.
 * A commit that adds nothing (a status change), or takes away, passes even over the quota: a job's
 * end is always stored.
 */
export function watchKeptBytes(kept: KeptBytes, limitOf: KeptLimitOf, submitters: Iterable<string>): KeptBytesWatch {
  const before = new Map<string, { bytes: number; max: number }>()
  for (const s of submitters) {
    if (before.has(s)) continue
    const max = limitOf(s)
    if (max !== null) before.set(s, { bytes: kept.ofSubmitter(s), max })
  }
  if (!before.size) return NO_WATCH
  return {
    check() {
      for (const [s, was] of before) {
        const now = kept.ofSubmitter(s)
        if (now > was.bytes && now > was.max + MAX_KEPT_OVERRUN) throw new KeptBytesExceeded(s, now, was.max)
      }
    },
  }
}
