// Stored JSON answered as it is (#9 §2): the spliced answer is the same JSON a parse and serialize
// would give, whatever the stored text holds.
import { describe, expect, it } from 'vitest'
import { jsonStream } from '../../electron/http/json-stream'
import { carriesRaw, parseRawFields, RawJson, stringifyWithRaw } from '../../electron/store/raw-json'

describe('raw JSON', () => {
  it('splices stored texts into an answer: the same JSON as parsing and serializing them', () => {
    const input = { s: 'x'.repeat(1000), nested: { a: [1, 2, { b: '"quoted" \\ and \u0000' }] }, n: 1.5e-7 }
    const text = JSON.stringify(input)
    const answer = stringifyWithRaw({ ret: { context: new RawJson(text), tasks: [new RawJson('null'), 'plain'] } })
    expect(JSON.parse(answer)).toEqual({ ret: { context: input, tasks: [null, 'plain'] } })
  })

  it('serializes as the value it holds outside stringifyWithRaw, and within a raw text nothing is spliced twice', () => {
    expect(JSON.stringify({ a: new RawJson('{"k":[1,"x"]}') })).toBe('{"a":{"k":[1,"x"]}}')
    const items = Array.from({ length: 1000 }, (_, i) => i)
    expect(JSON.parse(stringifyWithRaw({ big: { items }, raw: new RawJson('[1]'), at: new Date(0) }))).toEqual({ big: { items }, raw: [1], at: '1970-01-01T00:00:00.000Z' })
  })

  it('streams a nested stored text as its bytes, never parsed and serialized again (5 reads of a 4 MB context held the server 620 ms)', async () => {
    // spacing and `1.0` survive only if the text is copied: a parse would answer {"a":1}
    const chunks: Buffer[] = []
    for await (const c of jsonStream({ ret: { context: new RawJson('{"a": 1.0}'), n: 2 } })) chunks.push(Buffer.from(c))
    expect(Buffer.concat(chunks).toString()).toBe('{"ret":{"context":{"a": 1.0},"n":2}}')
    expect(stringifyWithRaw({ ret: { context: new RawJson('{"a": 1.0}') } })).toBe('{"ret":{"context":{"a": 1.0}}}')
  })

  it('leaves a client string that looks like a placeholder alone', () => {
    const value = { a: new RawJson('{"k":1}'), b: ':0', c: '"x:0"' }
    expect(JSON.parse(stringifyWithRaw(value))).toEqual({ a: { k: 1 }, b: ':0', c: '"x:0"' })
  })

  it('reads stored bytes and stored slices as their text', () => {
    const json = JSON.stringify({ s: '中文😀' })
    const bytes = Buffer.from(json)
    expect(new RawJson(bytes).text).toBe(json)
    expect(new RawJson(bytes).size).toBe(bytes.length)
    const slices = { size: bytes.length, slice: (from: number, length: number) => bytes.subarray(from, from + length) }
    expect(new RawJson(slices).text).toBe(json)
    expect(stringifyWithRaw({ ret: new RawJson(slices) })).toBe(`{"ret":${json}}`)
  })

  it('parses top-level raw fields for a transport that carries values (IPC)', () => {
    expect(parseRawFields({ id: 1, input: new RawJson('{"a":[1]}') })).toEqual({ id: 1, input: { a: [1] } })
    const plain = { id: 2 }
    expect(parseRawFields(plain)).toBe(plain)
  })

  it("finds and parses a task's stored output inside a job detail (tasks[i].output), leaving the frozen detail as it was", () => {
    const task = Object.freeze({ name: 'a', output: new RawJson('{"s":"x"}'), attempts: Object.freeze([]) })
    const detail = Object.freeze({ id: 1, tasks: Object.freeze([Object.freeze({ name: 'z', output: null }), task]) })
    expect(carriesRaw(detail)).toBe(true)
    expect(carriesRaw({ id: 1, tasks: [{ name: 'z', output: { deep: [1] } }] })).toBe(false)
    expect(parseRawFields(detail)).toEqual({ id: 1, tasks: [{ name: 'z', output: null }, { name: 'a', output: { s: 'x' }, attempts: [] }] })
    expect(detail.tasks[1].output).toBeInstanceOf(RawJson)
    const bytes = Buffer.from('[1]') // stored bytes are a value, not a container to look into
    expect(carriesRaw({ b: bytes })).toBe(false)
  })
})
