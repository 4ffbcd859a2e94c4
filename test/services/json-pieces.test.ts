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

  it('carries long runs of scalars exactly: -0, lone surrogates, huge numbers, runs across pieces, lists between runs', async () => {
    const scalars = [0, -0, 1.5e300, -1e-300, 'a\ud800b', '\udc00', '', '"\\', true, false, null, 2 ** 53 + 2]
    const run = (n: number) => Array.from({ length: n }, (_, i) => scalars[i % scalars.length])
    const value = {
      zeros: new Array(30_000).fill(0),
      mixed: [...run(20_000), { a: run(3) }, ...run(5), [run(2)], ...run(12_000), run(9_000), ...run(1)],
      nested: [run(10_000), run(10_000), [run(9_000)]],
      empty: [],
    }
    const [back] = await rebuildJson(splitJson(value))
    expect(isDeepStrictEqual(back, value)).toBe(true) // Object.is for each scalar: -0 is not 0
    expect(Object.is((back as typeof value).mixed[1], -0)).toBe(true)
    expect(JSON.stringify(back)).toBe(JSON.stringify(value))
  })

  it('keeps a number that overflowed to Infinity (`1e400`) inside a long run, as a short list keeps it (it came back null)', async () => {
    const text = `{"long":[${Array.from({ length: 9_000 }, (_, i) => (i === 5 ? '1e400' : i === 6 ? '-1e400' : '0')).join(',')}],"short":[1e400]}`
    const value = JSON.parse(text)
    const [back] = (await rebuildJson(splitJson(value))) as [{ long: number[]; short: number[] }]
    expect(back.long.slice(4, 8)).toEqual([0, Infinity, -Infinity, 0])
    expect(back.short).toEqual([Infinity])
    expect(isDeepStrictEqual(back, value)).toBe(true)
  })

  it('keeps -0 and Infinity in small values put whole', async () => {
    const value = { small: [1, -0, 2], map: { inf: -Infinity, list: [[0], [-0]] }, plain: [1, [2, { a: 'b' }]] }
    const [back] = await rebuildJson(splitJson(value))
    expect(isDeepStrictEqual(back, value)).toBe(true) // Object.is for each scalar: -0 is not 0
  })

  it('rebuilds small lists packed: JSON.stringify writes them as fast as JSON.parse\'s (v8.deserialize\'s holey ones took ~5 times as long)', async () => {
    const value = { lists: Array.from({ length: 200 }, () => new Array(5_000).fill(0)) }
    const [back] = await rebuildJson(splitJson(value))
    const parsed = JSON.parse(JSON.stringify(value))
    // the least of seven each, taking turns: the machine's load weighs on both alike
    const least = (v: unknown) => {
      const t = performance.now()
      JSON.stringify(v)
      return performance.now() - t
    }
    let rebuilt = Infinity
    let fresh = Infinity
    for (let i = 0; i < 7; i++) {
      rebuilt = Math.min(rebuilt, least(back))
      fresh = Math.min(fresh, least(parsed))
    }
    expect(rebuilt).toBeLessThan(2.5 * fresh)
  })

  it('reads a list of 1,000,000 zeros back in about the CPU JSON.parse of its text takes (it took 3.6-4 times that)', async () => {
    // measured side by side, the least of five each: the machine's load weighs on both alike
    const text = JSON.stringify({ items: new Array(1_000_000).fill(0) })
    const value = JSON.parse(text)
    const cpuMs = async (f: () => unknown) => {
      const at = process.cpuUsage()
      await f()
      const used = process.cpuUsage(at)
      return (used.user + used.system) / 1000
    }
    const parse: number[] = []
    const rebuild: number[] = []
    for (let i = 0; i < 5; i++) {
      parse.push(await cpuMs(() => JSON.parse(text)))
      const pieces = splitJson(value)
      rebuild.push(await cpuMs(() => rebuildJson(pieces)))
    }
    // before: 158-167 ms against 39-46 ms; now 35-40 against 31-35 (load 14, 2 cores)
    expect(Math.min(...rebuild)).toBeLessThan(2 * Math.min(...parse))
  })

  it('hands the value over a turn after its last piece is read: what its caller does with it is a turn of its own', async () => {
    // a callback's last piece (and the join of its 1,000,000 zeros) and its engine step ran in one turn: 120-200 ms
    const pieces = splitJson({ items: new Array(100_000).fill(0) })
    const last = pieces.length - 1
    let handedOver = false
    let readNotHandedOver = 0
    const tick = () => {
      if (handedOver) return
      if (pieces[last].byteLength === 0) readNotHandedOver++ // read (rebuildJson lets a piece's bytes go once read), and still not handed over
      setImmediate(tick)
    }
    setImmediate(tick)
    const [back] = await rebuildJson(pieces)
    handedOver = true
    expect((back as { items: unknown[] }).items).toHaveLength(100_000)
    expect(readNotHandedOver).toBeGreaterThan(0)
  })

  it('carries a scalar and a small value in one piece', async () => {
    for (const v of [null, 7, 'text', false, [], {}, { a: [1, { b: 2 }] }]) {
      const pieces = splitJson(v)
      expect(pieces).toHaveLength(1)
      expect(await rebuildJson(pieces)).toEqual([v])
    }
  })
})
