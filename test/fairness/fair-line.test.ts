// The one fairness policy (fairness/fair-line.ts): per-owner first come, the owner holding the fewest
// next, ties to the one served longest ago, then first come; a per-owner bound; removal of a caller
// who left. Every fair bound of the app (worker slots, md5 turns, the graph request lanes) takes its
// order from here, so a user's flood is held to their share everywhere at once.
import { describe, expect, it } from 'vitest'
import { FairLine } from '../../electron/fairness/fair-line'

/** Shifts everything, releasing each item at once (one slot, used in turn). */
const served = (line: FairLine<string>) => {
  const out: string[] = []
  for (let item = line.shift(); item !== undefined; item = line.shift()) {
    out.push(item)
    line.release(item[0]!)
  }
  return out
}

describe('FairLine', () => {
  it('takes owners round-robin, each in arrival order, first comers first', () => {
    const line = new FairLine<string>()
    for (const item of ['b1', 'b2', 'b3', 'a1', 'c1', 'a2']) line.push(item[0]!, item)
    expect(served(line)).toEqual(['b1', 'a1', 'c1', 'b2', 'a2', 'b3'])
  })

  it('serves an owner holding nothing before one who holds something, whatever came first', () => {
    const line = new FairLine<string>()
    line.push('b', 'b1')
    line.push('b', 'b2')
    expect(line.shift()).toBe('b1') // bob's first runs
    line.push('b', 'b3')
    line.push('a', 'a1')
    expect(line.due()).toBe('a')
    expect(line.shift()).toBe('a1')
    expect(line.holds('a')).toBe(1)
    expect(line.holds('b')).toBe(1)
    // both hold one: bob was served longer ago
    expect(line.shift()).toBe('b2')
    expect(line.heldByAll).toBe(3)
  })

  it('keeps a served owner behind others while it holds or waits, then forgets it', () => {
    const line = new FairLine<string>()
    line.push('b', 'b1')
    expect(line.shift()).toBe('b1')
    line.push('b', 'b2') // bob queues more while his first runs, then alice comes
    line.release('b') // bob's first ended before alice's turn came: he was still served last
    line.push('a', 'a1')
    expect(served(line)).toEqual(['a1', 'b2'])
    expect(line.known).toBe(0)
  })

  it('passes over owners that may not take one now, without losing their turn', () => {
    const line = new FairLine<string>()
    line.push('a', 'a1')
    line.push('b', 'b1')
    expect(line.shift((owner) => owner !== 'a')).toBe('b1')
    expect(line.shift((owner) => owner !== 'a')).toBeUndefined()
    expect(line.shift()).toBe('a1')
  })

  it("refuses an owner's item past the bound, not another owner's, nor an unbounded push", () => {
    const line = new FairLine<string>({ perOwner: 2 })
    expect(line.push('b', 'b1')).toBe(true)
    expect(line.push('b', 'b2')).toBe(true)
    expect(line.push('b', 'b3')).toBe(false)
    expect(line.push('a', 'a1')).toBe(true)
    expect(line.push('', 'x1', false)).toBe(true)
    expect(line.push('', 'x2', false)).toBe(true)
    expect(line.push('', 'x3', false)).toBe(true)
    expect(line.count('b')).toBe(2)
    expect(line.count()).toBe(6)
  })

  it('takes out an item whose caller left, only a waiting one, and forgets its owner', () => {
    const line = new FairLine<string>()
    line.push('b', 'b1')
    line.push('b', 'b2')
    line.push('a', 'a1')
    expect(line.remove('b', 'b1')).toBe(true)
    expect(line.remove('b', 'b1')).toBe(false)
    expect(line.remove('a', 'b2')).toBe(false)
    expect(line.remove('b', 'b2')).toBe(true)
    expect(line.count('b')).toBe(0)
    expect(served(line)).toEqual(['a1'])
    expect(line.known).toBe(0)
  })

  it('keeps the mark of an owner who still waits elsewhere', () => {
    const overflow = new Set(['b'])
    const line = new FairLine<string>({ waitsElsewhere: (owner) => overflow.has(owner) })
    line.push('b', 'b1')
    expect(line.shift()).toBe('b1')
    line.release('b')
    expect(line.known).toBe(1) // bob's patient caller is still out there: he stays served recently
    line.push('a', 'a1')
    line.push('b', 'b2')
    expect(line.shift()).toBe('a1')
    overflow.clear()
    line.release('a')
    expect(line.shift()).toBe('b2')
    line.release('b')
    expect(line.known).toBe(0)
  })

  it('counts a take that never waited as held and served, so the owner goes after those who hold nothing', () => {
    const line = new FairLine<string>()
    line.hold('b') // the line was empty and there was room: bob's first ran at once
    line.push('b', 'b2')
    line.push('a', 'a1')
    expect(line.items()).toEqual(['b2', 'a1'])
    expect(line.shift()).toBe('a1')
    line.release('a')
    line.release('b')
    expect(line.shift()).toBe('b2')
    expect(line.heldByAll).toBe(1)
  })

  it('drains every waiting item, oldest first', () => {
    const line = new FairLine<string>()
    for (const item of ['b1', 'a1', 'b2']) line.push(item[0]!, item)
    expect(line.drain()).toEqual(['b1', 'a1', 'b2'])
    expect(line.count()).toBe(0)
    expect(line.shift()).toBeUndefined()
  })
})
