// Task events carry values of at most 64 kB of JSON (#9 §2): jsonBytesWithin decides which, without
// serializing a value of megabytes. Below the limit it must say exactly what JSON.stringify writes,
// in UTF-8 bytes; above it, undefined, and that after counting no more than about the limit.
import { describe, expect, it } from 'vitest'
import { jsonBytesWithin } from '../../electron/json-bytes'
import { RawJson } from '../../electron/store/raw-json'

const written = (v: unknown) => Buffer.byteLength(JSON.stringify(v) ?? 'null')

describe('jsonBytesWithin', () => {
  const values: unknown[] = [
    null,
    0,
    -1.5e-7,
    12345678901234567890,
    Number.NaN,
    true,
    false,
    '',
    'quote " \\ \u0000 é 中 😀 \ud800',
    [],
    {},
    [1, 'a', null, undefined, () => 1, { k: undefined }],
    { a: 1, 'ké"y': [true, { n: null }], skip: undefined, f: () => 1, d: new Date(0) },
    { nested: [[[{ deep: ['x'.repeat(100)] }]]] },
  ]
  it('is the UTF-8 bytes JSON.stringify writes, for every kind of value', () => {
    for (const v of values) expect(jsonBytesWithin(v, 1_000_000), JSON.stringify(v)).toBe(written(v))
  })

  it('is undefined past the limit, exactly at the boundary', () => {
    const v = { s: 'y'.repeat(100), list: [1, 2, 3] }
    expect(jsonBytesWithin(v, written(v))).toBe(written(v))
    expect(jsonBytesWithin(v, written(v) - 1)).toBeUndefined()
  })

  it('counts a RawJson by its stored size without parsing it', () => {
    const raw = new RawJson('{"not": valid json for a parse')
    expect(jsonBytesWithin({ raw }, 1000)).toBe(written({ raw: 0 }) - 1 + raw.size)
  })

  it('counts a RawJson holding a text by its UTF-8 bytes, not its characters (CJK was counted a third of its bytes)', () => {
    const raw = new RawJson('{"名前":"データ🙂"}')
    const bytes = Buffer.byteLength(raw.text)
    expect(jsonBytesWithin({ raw }, 1000)).toBe(written({ raw: 0 }) - 1 + bytes)
    expect(jsonBytesWithin(raw, bytes)).toBe(bytes)
    expect(jsonBytesWithin(raw, bytes - 1)).toBeUndefined()
  })

  it('stops at the limit: a value of many megabytes is not walked', () => {
    const items = Array.from({ length: 1_000_000 }, (_, i) => ({ i }))
    let read = 0 // the items the count looks at: it must stop soon after 64 kB of them (~8,000)
    const counted = new Proxy(items, { get: (target, key, receiver) => (typeof key === 'string' && /^\d+$/.test(key) && read++, Reflect.get(target, key, receiver)) })
    const big = { s: 'z'.repeat(50_000_000), items: counted }
    expect(jsonBytesWithin(big, 64 * 1024)).toBeUndefined()
    expect(jsonBytesWithin(big.items, 64 * 1024)).toBeUndefined()
    expect(read).toBeLessThan(2 * 10_000)
    // and the 50 MB string is not scanned: the best of three runs (a collection of the million items
    // just made can pause one run by 100 ms on a busy machine; serializing it all takes seconds)
    const plain = { s: big.s, items }
    const runs = [0, 1, 2].map(() => {
      const started = performance.now()
      expect(jsonBytesWithin(plain, 64 * 1024)).toBeUndefined()
      return performance.now() - started
    })
    expect(Math.min(...runs)).toBeLessThan(50)
  })

  it('never fits a cycle', () => {
    const a: Record<string, unknown> = { k: 1 }
    a.self = a
    expect(jsonBytesWithin(a, 64 * 1024)).toBeUndefined()
  })
})
