// The query workers' admission (graph/worker/query-admission.ts): one user's slow statements never
// take every worker, waiting statements are served round-robin by user, and a statement that times
// out in the queue says where it stood and how long it waited.
import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { QueryAdmission, type QuerySlot } from '../../electron/graph/worker/query-admission'

/** Admits and records the order in which statements get their worker. */
function recorder(a: QueryAdmission) {
  const order: string[] = []
  const slots = new Map<string, QuerySlot>()
  const admit = (user: string, name: string, o: { signal?: AbortSignal; timeoutMs?: number } = {}) =>
    a.admit(user, o).then((slot) => {
      order.push(name)
      slots.set(name, slot)
      return slot
    })
  return { order, slots, admit }
}
/** A turn of the event loop (setImmediate: the one test that fakes setTimeout still turns it). */
const tick = () => new Promise((r) => setImmediate(r))

describe('query admission', () => {
  it("keeps the last free worker for a user who runs nothing, so bob's slow statements never block the admin", async () => {
    const a = new QueryAdmission(3)
    const r = recorder(a)
    for (const i of [1, 2, 3, 4]) void r.admit('bob', `bob${i}`)
    await tick()
    expect(r.order).toEqual(['bob1', 'bob2'])
    void r.admit('admin', 'admin1')
    await tick()
    expect(r.order).toEqual(['bob1', 'bob2', 'admin1'])
    expect(a.counts).toEqual({ waiting: 2, running: 3 })
  })

  it('serves waiting statements round-robin by user, each user in arrival order', async () => {
    const a = new QueryAdmission(3)
    const r = recorder(a)
    void r.admit('carol', 'carol1')
    void r.admit('bob', 'bob1')
    void r.admit('dave', 'dave1')
    for (const i of [2, 3, 4]) void r.admit('bob', `bob${i}`)
    void r.admit('carol', 'carol2')
    void r.admit('erin', 'erin1')
    await tick()
    expect(r.order).toEqual(['carol1', 'bob1', 'dave1'])
    r.slots.get('dave1')!.release()
    await tick()
    // bob arrived first but runs one already: the last free worker goes to erin, who runs none
    expect(r.order.at(-1)).toBe('erin1')
    r.slots.get('carol1')!.release()
    r.slots.get('erin1')!.release()
    await tick()
    // one worker free at a time: it goes to carol, who runs none, not to bob, who runs one
    expect(r.order.slice(4)).toEqual(['carol2'])
    r.slots.get('bob1')!.release()
    await tick()
    expect(r.order.slice(5)).toEqual(['bob2'])
    r.slots.get('carol2')!.release()
    await tick()
    expect(r.order.slice(6)).toEqual(['bob3'])
    expect(a.counts).toEqual({ waiting: 1, running: 2 })
  })

  it('lets a statement that times out while it waits say its place in the queue and its wait', async () => {
    const a = new QueryAdmission(2)
    const r = recorder(a)
    void r.admit('bob', 'bob1')
    void r.admit('carol', 'carol1')
    void r.admit('bob', 'bob2')
    const started = Date.now()
    const late = r.admit('admin', 'admin1', { timeoutMs: 300 })
    await expect(late).rejects.toMatchObject({ code: 'query_timeout', message: expect.stringMatching(/waiting for a query worker: 0\.\d s in the queue at position 2 of 2, 2 of 2 workers busy/) })
    expect(Date.now() - started).toBeGreaterThanOrEqual(290)
    // it left the queue: the next free worker goes to bob2
    r.slots.get('bob1')!.release()
    await tick()
    expect(r.order).toEqual(['bob1', 'carol1', 'bob2'])
  })

  it('takes a cancelled statement out of the queue', async () => {
    const a = new QueryAdmission(1)
    const r = recorder(a)
    void r.admit('bob', 'bob1')
    const stop = new AbortController()
    const cancelled = r.admit('carol', 'carol1', { signal: stop.signal })
    void r.admit('dave', 'dave1')
    stop.abort()
    await expect(cancelled).rejects.toMatchObject({ code: 'query_cancelled' })
    r.slots.get('bob1')!.release()
    await tick()
    expect(r.order).toEqual(['bob1', 'dave1'])
  })

  it('starts a statement of a user who runs nothing once the soft limit is held by slow statements only, up to the hard limit', async () => {
    // the admission's clock is `now` and its re-check a timer: both advanced here, not waited for
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    onTestFinished(() => void vi.useRealTimers())
    let now = 0
    const a = new QueryAdmission(3, { hard: 5, slowMs: 1000, now: () => now })
    const r = recorder(a)
    for (const user of ['bob', 'carol', 'dave']) void r.admit(user, `${user}1`)
    await tick()
    expect(r.order).toEqual(['bob1', 'carol1', 'dave1'])
    // all three just started: a quick newcomer waits for one of them to end, as before
    now = 400
    void r.admit('erin', 'erin1')
    await tick()
    expect(r.order).toHaveLength(3)
    // they have run 1 s: erin's statement starts beside them (a timer looks again then)
    now = 1000
    await vi.advanceTimersByTimeAsync(700) // the timer set at 400 for 1000
    expect(r.order.at(-1)).toBe('erin1')
    // a user who runs something never passes the soft limit; only a user who runs nothing does, up to the hard limit
    now = 2500
    void r.admit('bob', 'bob2')
    void r.admit('frank', 'frank1')
    void r.admit('gina', 'gina1')
    await tick()
    expect(r.order.slice(4)).toEqual(['frank1'])
    expect(a.counts).toEqual({ waiting: 2, running: 5 })
    // below the hard limit again, but frank's statement is young: gina waits for it to turn slow
    r.slots.get('erin1')!.release()
    await tick()
    expect(r.order.slice(5)).toEqual([])
    now = 3500
    await vi.advanceTimersByTimeAsync(1100) // the timer set at 2500 for frank's 1 s
    expect(r.order.slice(5)).toEqual(['gina1'])
    // bob's second statement: never the overflow, nor the soft limit's last free worker
    for (const n of ['carol1', 'dave1', 'frank1']) r.slots.get(n)!.release()
    await tick()
    expect(r.order.slice(6)).toEqual([])
    r.slots.get('gina1')!.release()
    await tick()
    expect(r.order.slice(6)).toEqual(['bob2'])
    expect(a.counts).toEqual({ waiting: 0, running: 2 })
  })
})
