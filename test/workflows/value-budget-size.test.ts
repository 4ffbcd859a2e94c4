// measureJson (value-budget.ts) counts the UTF-8 bytes of JSON a value writes out to, the bound every
// mapping size limit holds (#9), as upstream's ContextDAO.checkContextLength counts the bytes of the
// serialized context: it used to count a number, `true`, `null` or `{}` as about one character and
// quotes, colons and commas not at all (`1.2345678901234567e+300`: 1 for 23), then characters, not
// bytes (8 × 250,000 `中` passed the context's 2 MB at 2.0 M characters: 6.0 MB).
import { describe, expect, it } from 'vitest'
import { applyMappings, MappingError } from '../../electron/workflows/rillflow/mappings'
import { ContextGrowthError, cloneWithin, jsonLengthOf, measureJson, PASS_LIMITS, PassBudget, VALUE_LIMITS, type WritePlace } from '../../electron/workflows/rillflow/value-budget'

/** What measureJson must say of `v`: the UTF-8 bytes of JSON.stringify(v). */
const bytesOf = (v: unknown): number => Buffer.byteLength(JSON.stringify(v))
const measured = (v: unknown): number => jsonLengthOf(measureJson(v))

describe('measureJson', () => {
  it('counts exactly what JSON.stringify writes for values without escapes', () => {
    const values: unknown[] = [
      0, 7, 42, 999_999_999, 1e9, -1, -0, 0.5, -123.456, 1.2345678901234567e300, 5e-324, 1e21, 123456789012345680000, Number.MAX_SAFE_INTEGER,
      NaN, Infinity, true, false, null, '', 'abc', [], {}, [[]], [{}], { a: {} },
      [1, 'two', true, null, { k: [false, -2.5e-7] }], { '': 0, key: 'value', n: [1, 2, 3], m: { x: null } },
      Array.from({ length: 1000 }, (_, i) => i * 1.1), // a long flat list (remembered once measured)
      { u: undefined, f: () => 1, keep: 1 }, [undefined, () => 1], // left out of maps, null in lists
    ]
    for (const v of values) expect(measured(v), JSON.stringify(v)).toBe(bytesOf(v))
  })

  // escapes were not counted: 260,000 "\u0001" mapped 8 times made a context of 12,480,162 characters
  // of a "2 MB" one (last check, #9)
  it('counts the escapes of strings and keys as JSON.stringify writes them', () => {
    const values: unknown[] = ['a"b', 'line\nbreak', 'tab\there', { 'q"': '\\' }, ['\u0001'], '\u001f\u007f', 'lone \ud800 surrogate', '\udc00', { 'k\n': ['\b\f\r'] }]
    for (const v of values) expect(measured(v), JSON.stringify(v)).toBe(bytesOf(v))
    const controls = Array.from({ length: 260_000 }, () => '\u0001')
    expect(measured(controls)).toBe(bytesOf(controls)) // 2,340,001: past 2 MB, where it said 780,001
  })

  it('counts UTF-8 bytes: `中` 3, `é` 2, an emoji 4 (not its 2 UTF-16 units), a lone surrogate its 6-byte escape', () => {
    expect(measured('中')).toBe(5)
    expect(measured('é')).toBe(4)
    expect(measured('😀')).toBe(6)
    expect(measured('\ud83d')).toBe(8) // "\ud83d"
    expect(measured('\ude00\ud83d')).toBe(14) // a pair in the wrong order is two lone surrogates
    expect(measured({ 中文: ['😀', 'aé'] })).toBe(bytesOf({ 中文: ['😀', 'aé'] }))
    const cjk = Array.from({ length: 8 }, () => '中'.repeat(250_000))
    expect(measured(cjk)).toBe(6_000_025) // 2,000,025 characters
  })

  // property-style: seeded random values of every kind, strings drawn from ASCII, escapes, Latin, CJK,
  // emoji and lone surrogates
  it('equals Buffer.byteLength(JSON.stringify(v)) over 2,000 random values', () => {
    let seed = 9
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648
      return Math.floor((seed / 2147483648) * n)
    }
    const pieces = ['a', 'Z', ' ', '"', '\\', '\n', '\u0000', '\u001f', '\u007f', 'é', 'ß', '中', '語', '😀', '𝄞', '\ud800', '\udfff', '\u2028', '\ufeff', '\uffff']
    const str = (): string => Array.from({ length: rand(12) }, () => pieces[rand(pieces.length)]).join('')
    const nums = [0, 3, -7, 1e9, 0.1, -2.5e-7, 1.2345678901234567e300, NaN, -Infinity]
    const value = (depth: number): unknown => {
      const kind = rand(depth > 3 ? 5 : 7)
      if (kind === 0) return str()
      if (kind === 1) return nums[rand(nums.length)]
      if (kind === 2) return [true, false, null][rand(3)]
      if (kind === 3) return rand(1000) * 17
      if (kind === 4) return undefined
      if (kind === 5) return Array.from({ length: rand(5) }, () => value(depth + 1))
      const map: Record<string, unknown> = {}
      for (let i = rand(5); i > 0; i--) map[str()] = value(depth + 1)
      return map
    }
    for (let i = 0; i < 2000; i++) {
      const v = [value(0)] // in a list: a lone undefined has no JSON text
      expect(measured(v), JSON.stringify(v)).toBe(bytesOf(v))
    }
  })

  it("counts a value's elements without the value itself: a list of exactly 1,000,000 is within the limit, one more is not", () => {
    expect(VALUE_LIMITS.maxNodes).toBe(1_000_000)
    expect(() => cloneWithin(Array.from({ length: 1_000_000 }, () => 0))).not.toThrow()
    expect(() => cloneWithin(Array.from({ length: 1_000_001 }, () => 0))).toThrow(/more than 1000000 elements \(1000001 lists, maps and scalars inside it\)/)
  })
})

describe("the context's 2 MB (PassBudget), in UTF-8 bytes", () => {
  const LIMIT = 2 << 20 // 2,097,152 bytes
  /** Copies `value` into an empty context (`{}`: 2 bytes) as one mapping pass would, its key not counted (framing 0); throws past the bound. */
  const writeIntoEmptyContext = (value: unknown): void => {
    const holder = {}
    const place: WritePlace = { changes: [holder], name: 'context', holder, replaced: [undefined], framing: 0, commaIn: [] }
    new PassBudget().copyFor(value, place)
  }

  it('is 2 MiB', () => {
    expect(Object.values(PASS_LIMITS)).toContain(LIMIT)
  })

  it('passes an ASCII value exactly at the bound; one byte more is refused', () => {
    expect(() => writeIntoEmptyContext('a'.repeat(LIMIT - 4))).not.toThrow() // 2 quotes, and the context's `{}`
    expect(() => writeIntoEmptyContext('a'.repeat(LIMIT - 3))).toThrow(/the context would exceed 2 MiB \(2,097,152 bytes\)/)
  })

  it('refuses a CJK value past the bound in bytes though under it in characters', () => {
    const cjk = '中'.repeat(700_000) // 700,002 characters of JSON, 2,100,002 bytes
    expect(() => writeIntoEmptyContext(cjk)).toThrow('the context would exceed 2 MiB (2,097,152 bytes): with this copy it would be 2,100,004 bytes, of which the copy is 2,100,002; nothing was copied')
    expect(() => writeIntoEmptyContext([cjk.slice(0, 300_000), cjk.slice(0, 300_000), cjk.slice(0, 100_000)])).toThrow(/exceed 2 MiB/)
    expect(() => writeIntoEmptyContext('中'.repeat(699_048))).not.toThrow() // 2,097,146 bytes
  })

  it('counts an emoji as its 4 bytes: exactly at the bound passes, one more is refused', () => {
    const n = (LIMIT - 4) / 4 // 524,287 emoji: 2,097,148 bytes, 1,048,574 UTF-16 units
    expect(() => writeIntoEmptyContext('😀'.repeat(n))).not.toThrow()
    expect(() => writeIntoEmptyContext('😀'.repeat(n + 1))).toThrow(/the context would exceed 2 MiB \(2,097,152 bytes\)/)
  })
})

// The bound holds on the context's real JSON: a new key's name, its quotes, colon and comma count too
// (#9: a mapping into `$.context.s` was taken 5 bytes over, and with a 60,000-character key 2,157,142
// bytes were saved; the error's size was 5 bytes below the real one).
describe("the context's 2 MiB counts the keys a mapping adds", () => {
  const LIMIT = 2 << 20
  /** One pass mapping `$.output.v` into `target` of `context`; returns the context, or throws the pass's MappingError. */
  const mapInto = (context: Record<string, unknown>, target: string, v: unknown): Record<string, unknown> => {
    const root = { context, input: {}, output: { v } }
    applyMappings([{ source: '$.output.v', target, tolerance: false }], root)
    return root.context
  }
  const growthOf = (f: () => unknown): ContextGrowthError => {
    try {
      f()
    } catch (e) {
      expect(e).toBeInstanceOf(MappingError)
      const cause = (e as Error).cause
      expect(cause).toBeInstanceOf(ContextGrowthError)
      return cause as ContextGrowthError
    }
    throw new Error('not refused')
  }

  it('takes `{"s":"a…"}` exactly at 2 MiB and refuses one byte more, naming the real size', () => {
    const at = mapInto({}, '$.context.s', 'a'.repeat(LIMIT - 8)) // `{"s":` 5, quotes 2, `}` 1
    expect(bytesOf(at)).toBe(LIMIT)
    const e = growthOf(() => mapInto({}, '$.context.s', 'a'.repeat(LIMIT - 7)))
    expect(e.bytes).toBe(LIMIT + 1)
    expect(e.message).toBe('the context would exceed 2 MiB (2,097,152 bytes): with this copy it would be 2,097,153 bytes, of which the copy is 2,097,147; nothing was copied')
  })

  it('counts the comma before a key added to a context that has keys', () => {
    const context = { go: false } // `{"go":false}`: 12 bytes; `,"s":` adds 5
    const n = LIMIT - 12 - 5 - 2
    expect(bytesOf(mapInto({ ...context }, '$.context.s', 'a'.repeat(n)))).toBe(LIMIT)
    expect(growthOf(() => mapInto({ ...context }, '$.context.s', 'a'.repeat(n + 1))).bytes).toBe(LIMIT + 1)
  })

  it('counts a 60,000-character key, and the maps created on the way to a target', () => {
    const key = 'k'.repeat(60_000)
    const e = growthOf(() => mapInto({}, `$.context.${key}`, 'a'.repeat(LIMIT - 30_000)))
    expect(e.bytes).toBe(bytesOf({ [key]: 'a'.repeat(LIMIT - 30_000) }))
    // `{"a":{"b":[null,null,V]}}`: the maps and the list created, their keys and the padding count
    const v = 'a'.repeat(LIMIT - 25) // 26 bytes around it: `{"a":{"b":[null,null,` 21, its quotes 2, `]}}` 3
    expect(growthOf(() => mapInto({}, '$.context.a.b[2]', v)).bytes).toBe(bytesOf({ a: { b: [null, null, v] } }))
    expect(bytesOf(mapInto({}, '$.context.a.b[2]', v.slice(1)))).toBe(LIMIT)
  })

  it('subtracts a replaced value, and adds nothing for its key', () => {
    const context = { s: 'x'.repeat(1000) }
    const n = LIMIT - 8
    expect(bytesOf(mapInto(context, '$.context.s', 'a'.repeat(n)))).toBe(LIMIT)
    expect(growthOf(() => mapInto({ s: 'x'.repeat(1000) }, '$.context.s', 'a'.repeat(n + 1))).bytes).toBe(LIMIT + 1)
  })

  it('counts the keys a wildcard target adds to each map it reaches', () => {
    // each row gets `,"blob":V`; an empty row would be counted 1 byte over (its `,`: finding it empty walks its keys)
    const context = { rows: [{ y: 0 }, { x: 1 }] }
    const v = 'a'.repeat(LIMIT / 2 - 10)
    const after = { rows: [{ y: 0, blob: v }, { x: 1, blob: v }] }
    const e = growthOf(() => mapInto(context, '$.context.rows[*].blob', v))
    expect(e.bytes).toBe(bytesOf(after))
  })
})
