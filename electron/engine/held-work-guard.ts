// A job is weighed against its submitter's bound of held work (shared/quotas.ts MAX_HELD_WORK_PER_USER)
// at its submit, by its top-level tasks only: a Rill Flow foreach counts as one task there, and its
// groups' tasks are added as it runs (JobControl.addTasks). Unchecked, 5 accepted executions of a
// foreach over 1,000 items x 40 suspense tasks held 200,005 tasks (4x the bound, heap +160 MiB, atk17).
// So each addition is weighed before anything is stored: one that would pass the bound adds nothing,
// and its job is failed with the reason (Engine's addTasks). No overrun margin, unlike kept bytes
// (MAX_KEPT_OVERRUN, measured after a commit's writes): this check comes before the addition, so
// held work never passes the bound, and a job's end frees its room.
import { fanOutTooLargeMessage, type FanOutShape, type HeldBound } from '../../shared/quotas'
import type { HeldWork } from './active-jobs'

/** The bound of what `submitter`'s unfinished jobs may hold, or null for none (an admin). */
export type HeldLimitOf = (submitter: string) => HeldBound | null

/** A running job's fan-out would make its submitter's jobs hold more tasks than they may. */
export class HeldWorkExceeded extends Error {
  constructor(submitter: string, held: HeldWork, adding: number, max: HeldBound, shape?: FanOutShape) {
    super(fanOutTooLargeMessage(submitter, held, adding, max, shape))
    this.name = 'HeldWorkExceeded'
  }
}

/**
 * Returns HeldWorkExceeded when `adding` more tasks to what `submitter`'s live jobs hold (`held`)
 * would pass what `limitOf` allows them, else null (within the bound, or no bound). `shape`: how
 * `adding` was counted, for the message (fanOutTooLargeMessage).
 */
export function fanOutRefusal(limitOf: HeldLimitOf, submitter: string, held: HeldWork, adding: number, shape?: FanOutShape): HeldWorkExceeded | null {
  const max = limitOf(submitter)
  if (max === null || held.tasks + adding <= max.tasks) return null
  return new HeldWorkExceeded(submitter, held, adding, max, shape)
}

/**
 * How many more tasks `submitter`'s live jobs (holding `held`) may hold under what `limitOf` allows:
 * 0 or more, Infinity when there is no bound (an admin).
 */
export function heldRoom(limitOf: HeldLimitOf, submitter: string, held: HeldWork): number {
  const max = limitOf(submitter)
  return max === null ? Infinity : Math.max(0, max.tasks - held.tasks)
}
