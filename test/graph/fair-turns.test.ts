// Turns of the md5 hashing thread (graph/fair-turns.ts): one user's many long checks must not keep
// another user's check waiting for more than a turn (#9 §2, atk12).
import { describe, expect, it } from 'vitest'
import { fairTurns, type ReleaseTurn } from '../../electron/graph/fair-turns'

/** Takes a turn for `key` and records, in `order`, when it was granted. */
function taker(turns: ReturnType<typeof fairTurns>, order: string[]) {
  return (key: string, label = key, signal?: AbortSignal): Promise<ReleaseTurn> =>
    turns.take(key, signal).then((release) => {
      order.push(label)
      return release
    })
}

describe('fair turns', () => {
  it('gives the next turn to a user who has had none before the user who holds the line', async () => {
    const turns = fairTurns(1)
    const order: string[] = []
    const take = taker(turns, order)
    const a1 = await take('bob', 'bob-a')
    const b1 = take('bob', 'bob-b')
    const admin = take('admin')
    a1() // bob's first check ends its step: admin goes before bob's second check
    ;(await admin)()
    // bob's first check asks for its next step while his second waits: his second goes first (first come)
    const a2 = take('bob', 'bob-a2')
    ;(await b1)()
    ;(await a2)()
    expect(order).toEqual(['bob-a', 'admin', 'bob-b', 'bob-a2'])
    expect(turns.busy).toBe(0)
  })

  it('alternates two users who each keep asking, whatever the order they asked in', async () => {
    const turns = fairTurns(1)
    const order: string[] = []
    const take = taker(turns, order)
    const first = await take('bob')
    const pending = [take('bob'), take('bob'), take('ann'), take('ann')]
    first()
    for (const p of [pending[2], pending[0], pending[3], pending[1]]) (await p!)()
    expect(order).toEqual(['bob', 'ann', 'bob', 'ann', 'bob'])
  })

  it('holds at most `running` turns at once; a release is counted once', async () => {
    const turns = fairTurns(2)
    const order: string[] = []
    const take = taker(turns, order)
    const a = await take('a')
    await take('b')
    let third = false
    const c = take('c').then((r) => ((third = true), r))
    await new Promise((r) => setTimeout(r, 10))
    expect(third).toBe(false)
    expect(turns.busy).toBe(2)
    a()
    a() // again: must not free a second turn
    await c
    expect(turns.busy).toBe(2)
    expect(turns.waiting).toBe(0)
  })

  it('a waiter whose client hung up leaves the line with the reason and takes no turn', async () => {
    const turns = fairTurns(1)
    const order: string[] = []
    const take = taker(turns, order)
    const held = await take('bob')
    const hangUp = new AbortController()
    const gone = take('ann', 'ann', hangUp.signal)
    const next = take('carl')
    hangUp.abort(new Error('client gone'))
    await expect(gone).rejects.toThrow('client gone')
    held()
    ;(await next)()
    expect(order).toEqual(['bob', 'carl'])
    await expect(turns.take('dan', AbortSignal.abort(new Error('already gone')))).rejects.toThrow('already gone')
    expect(turns.waiting).toBe(0)
  })
})
