// measureJson (value-budget.ts) counts the characters of JSON a value writes out to, the bound every
// mapping size limit holds (#9): it used to count a number, `true`, `null` or `{}` as about one
// character and quotes, colons and commas not at all (`1.2345678901234567e+300`: 1 for 23).
import { describe, expect, it } from 'vitest'
import { cloneWithin, measureJson, VALUE_LIMITS } from '../../electron/workflows/rillflow/value-budget'

describe('measureJson', () => {
  it('counts exactly what JSON.stringify writes for values without escapes', () => {
    const values: unknown[] = [
      0, 7, 42, 999_999_999, 1e9, -1, -0, 0.5, -123.456, 1.2345678901234567e300, 5e-324, 1e21, 123456789012345680000, Number.MAX_SAFE_INTEGER,
      NaN, Infinity, true, false, null, '', 'abc', [], {}, [[]], [{}], { a: {} },
      [1, 'two', true, null, { k: [false, -2.5e-7] }], { '': 0, key: 'value', n: [1, 2, 3], m: { x: null } },
      Array.from({ length: 1000 }, (_, i) => i * 1.1), // a long flat list (remembered once measured)
      { u: undefined, f: () => 1, keep: 1 }, [undefined, () => 1], // left out of maps, null in lists
    ]
    for (const v of values) expect(measureJson(v).chars, JSON.stringify(v)).toBe(JSON.stringify(v).length)
  })

  // escapes were not counted: 260,000 "\u0001" mapped 8 times made a context of 12,480,162 characters
  // of a "2 MB" one (last check, #9)
  it('counts the escapes of strings and keys as JSON.stringify writes them', () => {
    const values: unknown[] = ['a"b', 'line\nbreak', 'tab\there', { 'q"': '\\' }, ['\u0001'], '\u001f\u007f', 'emoji 😀', 'lone \ud800 surrogate', '\udc00', { 'k\n': ['\b\f\r'] }]
    for (const v of values) expect(measureJson(v).chars, JSON.stringify(v)).toBe(JSON.stringify(v).length)
    const controls = Array.from({ length: 260_000 }, () => '\u0001')
    expect(measureJson(controls).chars).toBe(JSON.stringify(controls).length) // 2,340,001: past 2 MB, where it said 780,001
  })

  it("counts a value's elements without the value itself: a list of exactly 1,000,000 is within the limit, one more is not", () => {
    expect(VALUE_LIMITS.maxNodes).toBe(1_000_000)
    expect(() => cloneWithin(Array.from({ length: 1_000_000 }, () => 0))).not.toThrow()
    expect(() => cloneWithin(Array.from({ length: 1_000_001 }, () => 0))).toThrow(/more than 1000000 elements \(1000001 lists, maps and scalars inside it\)/)
  })
})
