// A queued job says why it waits (#9, new user): bob with one job running in the newcomer lane and
// twelve queued, while admin's sixteen hold the pool, saw "queued" and nothing more. Like Slurm's
// squeue REASON, the engine answers from the scheduler's state when asked (Engine.waitingReason),
// never keeping one per job. Driven with the app's policy (nonAdminShare, newcomerLane at 16), on a
// real store in a temp folder. FAILS without Engine.waitingReason.
import { describe, expect, it } from 'vitest'
import { newcomerLane, nonAdminShare } from '../../electron/engine/fair-queue'
import { endGatedEngines, gatedEngine } from '../support/gated-engine'

const POOL = 16

endGatedEngines()

function setup(pool = POOL) {
  return gatedEngine({ concurrency: pool, shareOf: (u) => (u === 'admin' ? pool : nonAdminShare(pool)), newcomerLane: newcomerLane(pool) })
}

describe('engine: why a queued job waits', () => {
  it('at a full pool: all places taken, the user’s own count and share, and the earlier jobs of theirs', async () => {
    const { engine, g, submit, startsOf } = setup()
    submit('admin', POOL)
    await expect.poll(() => g.running).toBe(POOL)
    const bobs = submit('bob', 13)
    await expect.poll(() => startsOf('bob')).toBe(1) // his first in the newcomer lane
    expect(engine.waitingReason(bobs[0].id, 'bob')).toBeNull() // running
    expect(engine.waitingReason(bobs[1].id, 'bob')).toBe('waiting for a place: all 16 are taken (yours hold 1, your share is 12); the newcomer lane takes only users running nothing')
    expect(engine.waitingReason(bobs[5].id, 'bob')).toBe(
      'waiting for a place: all 16 are taken (yours hold 1, your share is 12); the newcomer lane takes only users running nothing; 4 earlier jobs of yours go first',
    )
    // an admin reading it sees whose
    expect(engine.waitingReason(bobs[2].id, 'admin', true)).toBe(
      'waiting for a place: all 16 are taken (bob’s hold 1, bob’s share is 12); the newcomer lane takes only users running nothing; 1 earlier job of bob’s goes first',
    )
    // any other reader (the user a job runs as, #9 atk) reads the pool's state only, none of bob's counts
    expect(engine.waitingReason(bobs[2].id, 'carol')).toBe('waiting for a place: all 16 are taken')
  })

  it('at the user’s share: their own jobs use it', async () => {
    const { engine, g, submit } = setup()
    const jobs = submit('bob', 14)
    await expect.poll(() => g.running).toBe(12)
    expect(engine.waitingReason(jobs[12].id, 'bob')).toBe('waiting: your share of 12 places is used by your own jobs')
    expect(engine.waitingReason(jobs[13].id, 'bob')).toBe('waiting: your share of 12 places is used by your own jobs; 1 earlier job of yours goes first')
    // to a reader neither bob nor an admin: the pool has room, and nothing of bob's share or jobs
    expect(engine.waitingReason(jobs[13].id, 'carol')).toBe('waiting for its turn: the pool has a free place; what goes before it is told to its submitter')
  })

  it('when the pool and the newcomer lane are both full', async () => {
    const { engine, g, submit } = setup(4) // pool 4, lane 2
    submit('admin', 4)
    await expect.poll(() => g.running).toBe(4)
    submit('u1', 1)
    submit('u2', 1)
    await expect.poll(() => g.running).toBe(6)
    const [carol] = submit('carol', 1)
    await new Promise((r) => setTimeout(r, 50))
    expect(engine.waitingReason(carol.id, 'carol')).toBe('waiting for a place: all 4 are taken (yours hold 0, your share is 3), and so are the 2 places of the newcomer lane')
    expect(engine.waitingReason(carol.id, 'dave')).toBe('waiting for a place: all 4 are taken, and so are the 2 places of the newcomer lane')
  })

  it('is null for a job that is not queued or not known', async () => {
    const { engine, g, submit } = setup()
    const [job] = submit('bob', 1)
    await expect.poll(() => g.running).toBe(1)
    expect(engine.waitingReason(job.id, 'bob')).toBeNull()
    expect(engine.waitingReason(999_999, 'bob')).toBeNull()
  })
})
