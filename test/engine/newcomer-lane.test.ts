// The newcomer lane can be held by long jobs (#9, the MEDIUM left open by the last attacker): six
// users' `sleep 300` jobs held the 16 pool slots, two more users' took the lane's 2, and a ninth
// user's `SELECT 1` waited until any of the 18 ended. No preemption (it would kill work that cannot
// resume), so the lane's policy decides: it grows with the users holding no slot, one each, up to
// half the pool (newcomerLane), and once a pool slot frees while lane tasks run, one of them counts in
// the pool and its lane slot reopens for the next newcomer (the pool's own waiting tasks start only
// once the pool has room past those). Driven here with the app's own policy (nonAdminShare,
// newcomerLane at the default concurrency 16), on a real store in a temp folder.
// This test FAILS with the lane of an eighth (16 → 2): the ninth user's task stays queued.
import { describe, expect, it } from 'vitest'
import { newcomerLane, nonAdminShare } from '../../electron/engine/fair-queue'
import { endGatedEngines, gatedEngine } from '../support/gated-engine'

/** The production default (README: --concurrency). */
const POOL = 16

endGatedEngines()

function setup() {
  const { g, submit, settled, startsOf } = gatedEngine({
    concurrency: POOL,
    shareOf: (u) => (u === 'admin' ? POOL : nonAdminShare(POOL)),
    newcomerLane: newcomerLane(POOL),
  })
  /** Six users with four long tasks each: 16 hold the pool, 8 wait. */
  const fillPool = async () => {
    for (let round = 0; round < 4; round++) for (let i = 1; i <= 6; i++) submit(`sleeper${i}`, 1)
    await expect.poll(() => g.running).toBe(POOL)
  }
  return { g, submit, settled, startsOf, fillPool }
}

describe('engine: the newcomer lane past a pool held by long tasks', () => {
  it('starts a ninth user’s task while six users hold the pool and two more the lane', async () => {
    const { g, submit, settled, startsOf, fillPool } = setup()
    await fillPool()
    submit('lane7', 3)
    submit('lane8', 3)
    await expect.poll(() => g.running).toBe(POOL + 2)
    submit('carol', 1)
    await expect.poll(() => startsOf('carol')).toBe(1) // the ninth user's task started
    await settled()
    expect(g.running).toBe(POOL + 3)
    // each newcomer got one slot past the pool, whatever they had waiting; the six got none of it
    expect([startsOf('lane7'), startsOf('lane8')]).toEqual([1, 1])
    expect(g.started.slice(0, POOL).every((u) => u.startsWith('sleeper'))).toBe(true)
    expect(g.started.slice(POOL).every((u) => !u.startsWith('sleeper'))).toBe(true)
  })

  it('grows to half the pool, one slot per user holding none, and no further', async () => {
    const { g, submit, settled, startsOf, fillPool } = setup()
    await fillPool()
    const cap = POOL / 2
    for (let i = 1; i <= cap + 2; i++) submit(`new${i}`, 2) // two each: only one of each goes past the pool
    await expect.poll(() => g.running).toBe(POOL + cap)
    await settled()
    expect(g.running).toBe(POOL + cap)
    for (let i = 1; i <= cap; i++) expect(startsOf(`new${i}`), `new${i}`).toBe(1)
    // the limit that remains: past the cap, a newcomer waits for a slot to free
    expect([startsOf(`new${cap + 1}`), startsOf(`new${cap + 2}`)]).toEqual([0, 0])
  })

  it('reopens a lane slot once a pool slot frees, for the next newcomer rather than the pool’s waiting tasks', async () => {
    const { g, submit, settled, startsOf, fillPool } = setup()
    await fillPool()
    const cap = newcomerLane(POOL)
    for (let i = 1; i <= cap + 1; i++) submit(`new${i}`, 1)
    await expect.poll(() => g.running).toBe(POOL + cap)
    expect(startsOf(`new${cap + 1}`)).toBe(0)
    g.release('sleeper1') // a pool slot frees: a lane task counts in the pool from now on, its lane slot reopens
    await expect.poll(() => startsOf(`new${cap + 1}`)).toBe(1) // the newcomer waiting past the cap started
    await settled()
    expect(g.running).toBe(POOL + cap)
    expect(g.started.filter((u) => u.startsWith('sleeper'))).toHaveLength(POOL) // the six's waiting tasks still wait: the pool is full, lane tasks in it
    // the lane empties as its tasks end; the pool's waiting tasks start only once it has room
    for (let i = 1; i <= cap; i++) g.release(`new${i}`)
    await settled()
    expect(g.running).toBe(POOL)
    expect(g.started.length).toBe(POOL + cap + 1)
    g.release(`new${cap + 1}`) // 15 running: one of the six's waiting tasks takes the free pool slot
    await expect.poll(() => g.started.length).toBe(POOL + cap + 2)
    await settled()
    expect(g.running).toBe(POOL)
    expect(g.started.at(-1)).toMatch(/^sleeper/)
  })

  it('gives a lone user the whole pool and no lane slot', async () => {
    const { g, submit, settled } = setup()
    submit('admin', POOL + 10)
    await expect.poll(() => g.running).toBe(POOL)
    await settled()
    expect(g.running).toBe(POOL)
  })

  it('keeps the lane half the pool at most, at least one slot', () => {
    expect([1, 2, 3, 4, 8, 16, 64].map(newcomerLane)).toEqual([1, 1, 1, 2, 4, 8, 32])
  })
})
