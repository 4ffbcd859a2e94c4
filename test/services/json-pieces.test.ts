// A parsed JSON value carried from the JSON worker in pieces (electron/services/json-pieces.ts) must
// come back as JSON.parse gives it: the same values, keys in the same order, each copy built apart.
import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { rebuildJson, splitJson } from '../../electron/services/json-pieces'

/** Every map and list of `v`, walked. */
function containers(v: unknown, out: object[] = []): object[] {
  if (v === null || typeof v !== 'object') return out
  out.push(v)
  for (const item of Object.values(v)) containers(item, out)
  return out
}

describe('a JSON value in pieces', () => {
  it('comes back whole: large maps and lists opened across pieces, small ones put whole, key order kept', async () => {
    const text = JSON.stringify({
      '10': 'integer keys come first, as JSON.parse orders them',
      big: Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i % 3 ? i : { n: i, s: [`${i}`, null, true] }])),
      list: Array.from({ length: 30_000 }, (_, i) => (i % 2 ? [i, -0.5] : `item ${i}`)),
      nested: { deep: [[[{ a: [] }]]], empty: {} },
      constructor: 'a plain key',
    })
    const parsed = JSON.parse(text)
    const pieces = splitJson(parsed)
    expect(pieces.length).toBeGreaterThan(5)
    const [back] = await rebuildJson(pieces)
    expect(isDeepStrictEqual(back, parsed)).toBe(true)
    expect(JSON.stringify(back)).toBe(text)
  })

  it('builds two copies that share no map or list', async () => {
    const parsed = { rows: Array.from({ length: 12_000 }, (_, i) => ({ id: i })), s: 'x'.repeat(100_000) }
    const [a, b] = await rebuildJson(splitJson(parsed), 2)
    expect(a).toEqual(parsed)
    expect(b).toEqual(parsed)
    const inA = new Set(containers(a))
    expect(containers(b).filter((c) => inA.has(c))).toEqual([])
  })

  it('carries a scalar and a small value in one piece', async () => {
    for (const v of [null, 7, 'text', false, [], {}, { a: [1, { b: 2 }] }]) {
      const pieces = splitJson(v)
      expect(pieces).toHaveLength(1)
      expect(await rebuildJson(pieces)).toEqual([v])
    }
  })
})
