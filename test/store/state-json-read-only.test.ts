// A job's state saved with read-only (frozen) members (#9 §2): a big Rill Flow callback's body is shared
// read-only before its output mappings write it, so eight members of the saved context may be one frozen
// list of 87,000 maps, and the body kept as its task's output holds it too. Each save serialized and
// scanned the whole 2 MB text inside the write lock. Now a frozen member's text is made and scanned once
// for its value (state-json.ts jsonFromReadOnlyParts), and the saved text and shape must be exactly what
// serializing the whole gave: JSON.stringify's text, jsonShapeWithinDepth's shape, the same refusals.
import { describe, expect, it } from 'vitest'
import { deepFreeze } from '../../electron/read-only'
import { adoptOfferedTexts, offerJsonText, STATE_JSON_LIMIT, stateJsonShaped } from '../../electron/store/state-json'
import { jsonShapeWithinDepth, MAX_JSON_DEPTH } from '../../shared/json-limits'
import { formatCount } from '../../shared/number-format'

/** `v` frozen through, as shareReadOnly leaves a callback body. */
const frozen = <T extends object>(v: T): T => {
  deepFreeze(v, 10_000)
  return v
}

/** What the save wrote before read-only members were reused: the whole value serialized and scanned. */
const whole = (v: unknown) => {
  const text = JSON.stringify(v)
  return { text, shape: jsonShapeWithinDepth(text) }
}

/** A list nested `levels` deep, innermost `[]`. */
const nestedList = (levels: number): unknown => {
  let v: unknown = []
  for (let i = 1; i < levels; i++) v = [v]
  return v
}

describe('a saved map with read-only members: the same text and shape as the whole serialized', () => {
  const shared = frozen({ items: [1, -0, 1e21, 1.5e-7, 0.1 + 0.2, -1.7976931348623157e308, 5e-324, 2 ** 53 + 1], s: 'é\u2028"\\\n\t\u0000😀\ud800', nested: { a: [{ b: [[], {}, null, true, false] }], '': 'empty key' } })
  const cases: [string, () => Record<string, unknown>][] = [
    ['numbers (1e21, -0, floats), unicode, escapes, nested', () => ({ a: shared, b: 1, c: shared.items, d: 'x' })],
    ['a frozen list shared by eight members', () => Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, shared.items]))],
    ['integer-like keys first, as JSON.stringify orders them', () => ({ z: shared, 10: 'ten', 2: shared.nested, a: null })],
    ['members left out (undefined, a function) and a __proto__ key', () => JSON.parse('{"__proto__": 1}') && Object.assign(JSON.parse('{"__proto__": {"x": 1}}'), { u: undefined, f: () => 1, r: shared })],
    ['empty frozen list and map, members not read-only nested deep', () => ({ e: frozen([]), m: frozen({}), deep: nestedList(50), s: '"}{[' })],
    ['only read-only members', () => ({ a: shared.nested, b: shared.nested.a })],
    ['a frozen member nested to just within the limit', () => ({ deep: frozen(nestedList(MAX_JSON_DEPTH - 1) as object) })],
    ['a frozen map itself (a body kept as its output)', () => shared],
  ]
  for (const [what, make] of cases) {
    it(what, () => {
      const v = make()
      expect(stateJsonShaped(v, 'the context')).toEqual(whole(v))
      // and again: the member texts kept from the first save give the same
      expect(stateJsonShaped(v, 'the context')).toEqual(whole(v))
      expect(stateJsonShaped(v, 'the output', true)).toEqual(whole(v))
    })
  }

  it('refuses what the whole text was refused for, in the same words: too deep, too long', () => {
    const tooDeep = { deep: frozen(nestedList(MAX_JSON_DEPTH) as object) }
    expect(() => stateJsonShaped(tooDeep, 'the context of job 1')).toThrow(`the context of job 1 nests deeper than ${MAX_JSON_DEPTH} levels; no deeper JSON is stored`)
    const big = frozen(['x'.repeat(STATE_JSON_LIMIT / 4)])
    const tooLong = { a: big, b: big, c: big, d: big }
    const bytes = Buffer.byteLength(JSON.stringify(tooLong))
    expect(() => stateJsonShaped(tooLong, 'the context of job 1')).toThrow(`the context of job 1 would exceed 16 MiB (${formatCount(STATE_JSON_LIMIT)} bytes): it is ${formatCount(bytes)} bytes of JSON`)
    expect(() => stateJsonShaped({ a: big, x: { toJSON: () => 1 } }, 'the context')).not.toThrow() // toJSON: serialized whole, as before
  })

  it('serializes a frozen member once, not once for each member holding it and each save', () => {
    // a getter counts how often JSON.stringify reads the shared list's map (a counting device: JSON values have none)
    let reads = 0
    const list = frozen([Object.defineProperty({}, 'x', { enumerable: true, get: () => ++reads && 1 }), {}])
    reads = 0 // deepFreeze read it
    const context = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`c${i}`, list]))
    const first = stateJsonShaped(context, 'the context')
    expect(first).toEqual({ text: `{${Array.from({ length: 8 }, (_, i) => `"c${i}":[{"x":1},{}]`).join(',')}}`, shape: jsonShapeWithinDepth(first.text!) })
    stateJsonShaped({ ...context, more: 1 }, 'the context')
    stateJsonShaped({ items: list }, 'the output', true)
    expect(reads).toBe(1)
  })

  it('takes the text a JSON worker made of a member, once its map is frozen through and adopts it; forgets it otherwise', () => {
    // texts that differ from the values' own (a device: a worker's text is JSON.stringify's) show which was saved
    const body = JSON.parse('{"items": [1, 2], "other": {"a": 1}, "n": 3}')
    offerJsonText(body.items, '["offered"]', jsonShapeWithinDepth('[["offered"]]'))
    offerJsonText(body.other, '{"offered":1}', jsonShapeWithinDepth('[{"offered":1}]'))
    frozen(body.items) // `other` left as it is: its offered text is forgotten, it may change
    adoptOfferedTexts(body)
    expect(stateJsonShaped({ c0: body.items, c1: body.items }, 'the context').text).toBe('{"c0":["offered"],"c1":["offered"]}')
    frozen(body.other)
    adoptOfferedTexts(body)
    expect(stateJsonShaped({ c: body.other }, 'the context').text).toBe('{"c":{"a":1}}')
  })
})
