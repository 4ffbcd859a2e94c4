import { describe, expect, it } from 'vitest'
import { SLOW_WORK_MS, workerSlots, type SlotLease } from '../electron/worker-slots'
import { AppError } from '../shared/errors'
import { ManualClock } from './support/manual-clock'

/** Settles pending promise callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('workerSlots', () => {
  it('refuses a caller beyond running and waiting with the given code', async () => {
    const slots = workerSlots({ running: 1, waiting: 1, code: 'too_many_things', busy: 'busy now' })
    const first = await slots.acquire({ owner: '' })
    const waiting = slots.acquire({ owner: '' })
    await expect(slots.acquire({ owner: '' })).rejects.toMatchObject({ code: 'too_many_things', message: 'busy now' })
    first.release()
    ;(await waiting).release()
  })

  it('without a refusal, lets every caller wait for room in the line instead, in order', async () => {
    const slots = workerSlots({ running: 1, waiting: 1 })
    let held = await slots.acquire({ owner: '' })
    const taken: number[] = []
    const callers = [1, 2, 3].map((n) =>
      slots.acquire({ owner: '' }).then(
        (lease) => {
          taken.push(n)
          held = lease
        },
        () => taken.push(-n), // refused
      ),
    )
    await settle()
    expect(slots.waiting).toBe(3)
    for (let i = 0; i < 3; i++) {
      held.release()
      await settle()
    }
    await Promise.all(callers)
    expect(taken).toEqual([1, 2, 3])
    expect(slots.waiting).toBe(0)
  })

  it("lets another owner into a line one owner filled, and takes their request before that owner's waiting ones", async () => {
    const clock = new ManualClock()
    const slots = workerSlots({ running: 1, waiting: 2, code: 'too_many_things', busy: 'busy now', busyOwn: 'you have enough', clock })
    const order: string[] = []
    const take = (owner: string, n: number) => slots.acquire({ owner }).then((lease) => (order.push(`${owner}${n}`), lease))
    const bob0 = await take('bob', 0)
    const bobs = [take('bob', 1), take('bob', 2)]
    await expect(slots.acquire({ owner: 'bob' })).rejects.toMatchObject({ code: 'too_many_things', message: 'you have enough' })
    const admin = take('admin', 1) // past the full line: admin waits in none of his share
    await settle()
    expect(slots.waiting).toBe(3)
    bob0.release()
    ;(await admin).release()
    for (const b of bobs) (await b).release()
    expect(order).toEqual(['bob0', 'admin1', 'bob1', 'bob2'])
  })

  it('starts an owner who runs nothing at once, one past the running ones, once every running one is slow', async () => {
    const clock = new ManualClock()
    const slots = workerSlots({ running: 1, waiting: 8, code: 'too_many_things', busy: 'busy now', clock })
    const bob = await slots.acquire({ owner: 'bob' })
    let started: SlotLease | undefined
    void slots.acquire({ owner: 'admin' }).then((lease) => (started = lease))
    const carol = slots.acquire({ owner: 'carol' })
    await settle()
    expect(started).toBeUndefined() // bob's has not run SLOW_WORK_MS yet
    clock.advance(SLOW_WORK_MS)
    await settle()
    expect(slots.running).toBe(2) // admin's, beside bob's: no more than one past them
    expect(slots.waiting).toBe(1)
    bob.release()
    started!.release()
    ;(await carol).release()
    expect(slots.running).toBe(0)
  })

  it("aborts a running lease's signal at the time limit with the given error, and on its request's hang-up", async () => {
    const clock = new ManualClock()
    const slots = workerSlots({ running: 2, waiting: 1, code: 'too_many_things', busy: 'busy now', timeLimit: { ms: 5000, code: 'too_slow', message: 'took over 5 s' }, clock })
    const slow = await slots.acquire({ owner: 'bob' })
    const hangUp = new AbortController()
    const gone = await slots.acquire({ owner: 'bob', signal: hangUp.signal })
    hangUp.abort(new AppError('unavailable', 'client_gone', 'gone'))
    expect(gone.signal.reason).toMatchObject({ code: 'client_gone' })
    clock.advance(4999)
    expect(slow.signal.aborted).toBe(false)
    clock.advance(1)
    expect(slow.signal.reason).toMatchObject({ code: 'too_slow', message: 'took over 5 s' })
    slow.release()
    gone.release()
  })

  it('takes a waiting request out of the line when its client hangs up', async () => {
    const slots = workerSlots({ running: 1, waiting: 2, code: 'too_many_things', busy: 'busy now' })
    const held = await slots.acquire({ owner: 'bob' })
    const hangUp = new AbortController()
    const waiting = slots.acquire({ owner: 'bob', signal: hangUp.signal })
    hangUp.abort(new Error('gone'))
    await expect(waiting).rejects.toThrow('gone')
    expect(slots.waiting).toBe(0)
    held.release()
    expect(slots.running).toBe(0)
  })

  it('lets one owner alone use the whole line, and refuses them past it', async () => {
    const slots = workerSlots({ running: 1, waiting: 4, code: 'too_many_things', busy: 'busy now', busyOwn: 'you have enough' })
    const held = await slots.acquire({ owner: 'bob' })
    const waiting = Array.from({ length: 4 }, () => slots.acquire({ owner: 'bob' }))
    await expect(slots.acquire({ owner: 'bob' })).rejects.toMatchObject({ code: 'too_many_things', message: 'you have enough' })
    held.release()
    for (const w of waiting) (await w).release()
    expect(slots.running).toBe(0)
  })
})
