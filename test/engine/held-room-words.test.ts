// The held-work refusal read "...holding 120,000 tasks, and this would add one of 1 task" and "at
// most 8 tasks in 1 jobs" (#9 new-user trial, LOW): its words read right for every count.
import { describe, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import { assertHeldRoom, fanOutTooLargeMessage, type HeldBound } from '../../shared/quotas'

const BIG = 2 ** 40
/** The message assertHeldRoom throws for `held` + `adding` under `max` (jobs, tasks; bytes never the bound here). */
function refusal(held: [number, number], adding: [number, number], max: [number, number]): string {
  const bound: HeldBound = { jobs: max[0], tasks: max[1], bytes: BIG }
  try {
    assertHeldRoom('eve', { jobs: held[0], tasks: held[1], bytes: 0 }, { jobs: adding[0], tasks: adding[1] }, bound)
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    return (e as Error).message
  }
  throw new Error('not refused')
}

describe('the held-work refusal', () => {
  it.each([
    [[1, 120_000], [1, 1], [3, 120_000], 'user eve has 1 unfinished job (queued, running or waiting) holding 120,000 tasks, and this would add a job of 1 task; a user\'s unfinished jobs hold at most 120,000 tasks in 3 jobs'],
    [[2, 6], [1, 5], [8, 8], 'user eve has 2 unfinished jobs (queued, running or waiting) holding 6 tasks, and this would add a job of 5 tasks; a user\'s unfinished jobs hold at most 8 tasks in 8 jobs'],
    [[0, 0], [2, 9], [1, 8], 'user eve has 0 unfinished jobs (queued, running or waiting) holding 0 tasks, and this would add 2 jobs of 9 tasks together; a user\'s unfinished jobs hold at most 8 tasks in 1 job'],
    [[1, 7], [0, 2], [3, 8], 'user eve has 1 unfinished job (queued, running or waiting) holding 7 tasks, and this would add 2 tasks; a user\'s unfinished jobs hold at most 8 tasks in 3 jobs'],
    [[3, 1], [1, 1], [3, 1], 'user eve has 3 unfinished jobs (queued, running or waiting) holding 1 task, and this would add a job of 1 task; a user\'s unfinished jobs hold at most 1 task in 3 jobs'],
  ] as const)('held %j, adding %j, at most %j', (held, adding, max, words) => {
    expect(refusal([...held], [...adding], [...max])).toBe(`${words}: cancel some, or wait for some to finish`)
  })

  it('a fan-out stopped past the bound says "1 job", "1 task" and "1 jobs" nowhere', () => {
    expect(fanOutTooLargeMessage('dave', { jobs: 1, tasks: 1 }, 1, { jobs: 1, tasks: 1, bytes: BIG })).toBe(
      "its fan-out would add 1 task to the 1 that user dave's 1 unfinished job holds; a user's unfinished jobs hold at most 1 task in 1 job, so this job was stopped: run it over fewer items, or cancel some jobs first",
    )
  })
})
