import { describe, expect, it } from 'vitest'
import { workerSlots } from '../electron/worker-slots'

/** Settles pending promise callbacks. */
const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('workerSlots', () => {
  it('refuses a caller beyond running and waiting with the given code', async () => {
    const slots = workerSlots({ running: 1, waiting: 1, code: 'too_many_things', busy: 'busy now' })
    await slots.acquire()
    const waiting = slots.acquire()
    await expect(slots.acquire()).rejects.toMatchObject({ code: 'too_many_things', message: 'busy now' })
    slots.release()
    await waiting
  })

  it('without a refusal, lets every caller wait for room in the line instead, in order', async () => {
    const slots = workerSlots({ running: 1, waiting: 1 })
    await slots.acquire()
    const taken: number[] = []
    const callers = [1, 2, 3].map((n) =>
      slots.acquire().then(
        () => taken.push(n),
        () => taken.push(-n), // refused
      ),
    )
    await settle()
    expect(slots.waiting).toBe(3)
    for (let i = 0; i < 3; i++) {
      slots.release()
      await settle()
    }
    await Promise.all(callers)
    expect(taken).toEqual([1, 2, 3])
    expect(slots.waiting).toBe(0)
  })
})
