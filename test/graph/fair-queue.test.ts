// The request lanes' queue (worker/fair-queue.ts): round-robin between users, arrival order within a
// user, a bound per user, removal of a withdrawn item.
import { describe, expect, it } from 'vitest'
import { FairQueue } from '../../electron/graph/worker/fair-queue'

/** Takes every item in the order the queue gives them. */
const order = (q: FairQueue<string>) => {
  const out: string[] = []
  for (let item = q.shift(); item !== undefined; item = q.shift()) out.push(item)
  return out
}

describe('FairQueue', () => {
  it('takes users in turn, each in arrival order', () => {
    const q = new FairQueue<string>(10)
    for (const item of ['b1', 'b2', 'b3', 'a1', 'c1', 'a2']) q.push(item[0], item)
    expect(order(q)).toEqual(['b1', 'a1', 'c1', 'b2', 'a2', 'b3'])
  })

  it('puts the user served last after one who arrived meanwhile', () => {
    const q = new FairQueue<string>(10)
    q.push('b', 'b1')
    expect(q.shift()).toBe('b1') // runs; bob queues more, then alice comes
    q.push('b', 'b2')
    q.push('b', 'b3')
    q.push('a', 'a1')
    expect(order(q)).toEqual(['a1', 'b2', 'b3'])
  })

  it("refuses a user's item past the bound, not another user's, nor an unbounded push", () => {
    const q = new FairQueue<string>(2)
    expect(q.push('b', 'b1')).toBe(true)
    expect(q.push('b', 'b2')).toBe(true)
    expect(q.push('b', 'b3')).toBe(false)
    expect(q.push('a', 'a1')).toBe(true)
    expect(q.push('', 'x1', false)).toBe(true)
    expect(q.push('', 'x2', false)).toBe(true)
    expect(q.push('', 'x3', false)).toBe(true)
    expect(q.count('b')).toBe(2)
    expect(q.count()).toBe(6)
  })

  it('removes a withdrawn item, and only a waiting one', () => {
    const q = new FairQueue<string>(5)
    q.push('b', 'b1')
    q.push('b', 'b2')
    expect(q.remove('b', 'b1')).toBe(true)
    expect(q.remove('b', 'b1')).toBe(false)
    expect(q.remove('a', 'b2')).toBe(false)
    expect(order(q)).toEqual(['b2'])
    expect(q.count()).toBe(0)
  })
})
