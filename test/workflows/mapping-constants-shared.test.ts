// A descriptor's constant list or map is parsed once and cached (mappings.ts constantContainer); a
// mapping that wrote it still copied it whole at every run (PassBudget.copyFor), so a foreach of 6
// items over one map of 95,000 keys copied 570,000 keys in one turn (held the event loop 2.4 s at load
// 11). Now the cached value is read-only (frozen) and written as it is; a write into it copies on write
// (jsonpath/write.ts). What a user relies on: each run sees the constant as written in the descriptor,
// whatever an earlier run wrote into its own context; and a run's cost does not grow with the constant.
import { describe, expect, it } from 'vitest'
import { applyMappings, CONSTANT_PARSE_CHARGE, parseSource } from '../../electron/workflows/rillflow/mappings'
import { mappingHooks } from '../../electron/workflows/rillflow/runtime/context'
import { parseDescriptorForStorage } from '../../electron/services/descriptor-parser'
import { PASS_LIMITS, saveCharge } from '../../electron/workflows/rillflow/value-budget'
import { TICK_MAX_BYTES } from '../../electron/engine/budget'
import { threadCpuMs } from '../support/cpu-time'

type Root = { context: Record<string, unknown>; input: Record<string, unknown>; output: Record<string, unknown> }
const root = (): Root => ({ context: {}, input: {}, output: {} })

/** A JSON map of `n` keys k0.. each to `{v: i}`, plus a list: a constant as a descriptor holds it. */
const constant = (n: number) => JSON.stringify({ list: [{ x: 0 }, { x: 1 }], m: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, { v: i }])) })

describe('constant mapping sources are shared read-only, copied on write', () => {
  it('a write into a written constant (definite path) changes that run only; the next run sees the constant as written', () => {
    const source = constant(3)
    const first = root()
    applyMappings(
      [
        { source, target: '$.context.c' },
        { source: '7', target: '$.context.c.m.k1.v' },
        { source: 'new', target: '$.context.c.added' },
      ],
      first,
    )
    expect(first.context.c).toMatchObject({ added: 'new', m: { k0: { v: 0 }, k1: { v: 7 }, k2: { v: 2 } } })
    const second = root()
    applyMappings([{ source, target: '$.context.c' }], second)
    expect(second.context.c).toEqual(JSON.parse(source))
    expect(parseSource(source)).toEqual(JSON.parse(source))
  })

  it('a write into it through an indefinite path (`[*]`) changes that run only', () => {
    const source = constant(2)
    const first = root()
    applyMappings(
      [
        { source, target: '$.context.c' },
        { source, target: '$.context.d' },
        { source: '5', target: '$.context.c.list[*].x' },
        { source: '9', target: '$.context.d.m[*].v' },
      ],
      first,
    )
    expect((first.context.c as any).list).toEqual([{ x: 5 }, { x: 5 }])
    expect((first.context.d as any).list).toEqual([{ x: 0 }, { x: 1 }]) // the same constant written elsewhere: unchanged
    expect((first.context.d as any).m).toEqual({ k0: { v: 9 }, k1: { v: 9 } })
    const second = root()
    applyMappings([{ source, target: '$.input.c' }], second)
    expect(second.input.c).toEqual(JSON.parse(source))
  })

  it('a constant written twice is one value, a write through one place is not seen at the other', () => {
    const source = constant(2)
    const r = root()
    applyMappings([{ source, target: '$.context.a' }, { source, target: '$.input.b' }, { source: '1', target: '$.input.b.m.k0.v' }], r)
    expect((r.context.a as any).m.k0.v).toBe(0)
    expect((r.input.b as any).m.k0.v).toBe(1)
    expect(Object.isFrozen(r.context.a)).toBe(true) // shared, read-only
    expect(Object.isFrozen(r.input.b)).toBe(false) // copied on write
  })

  it('writes a constant of 95,000 keys 20 times in one pass without copying it: no copy budget spent, little CPU', () => {
    const source = constant(95_000) // ~2.3 MB: 20 copies (46 MB) would pass PASS_LIMITS.maxCopiedBytes (8 MB)
    applyMappings([{ source, target: '$.input.warm' }], root()) // parsed and cached once, as a descriptor's first run does
    const rules = Array.from({ length: 20 }, (_, i) => ({ source, target: `$.input.c${i}` }))
    const r = root()
    const started = threadCpuMs()
    applyMappings(rules, r)
    const spent = threadCpuMs() - started
    console.log(`20 writes of a 95,000-key constant (${(source.length / 1e6).toFixed(1)} MB): ${spent.toFixed(1)} ms CPU; copies allowed ${PASS_LIMITS.maxCopiedBytes / 2 ** 20} MB`)
    expect(Object.keys(r.input)).toHaveLength(20)
    expect(r.input.c0).toBe(r.input.c19)
    expect(spent).toBeLessThan(100) // a copy of it alone took 130-290 ms of CPU (load 14-24)
  })

  it("charges a sub-context holding a wide constant near a whole engine tick, measuring the constant once", () => {
    const source = constant(95_000)
    const r = root()
    applyMappings([{ source, target: '$.context.c' }], r)
    const started = threadCpuMs()
    const charge = saveCharge(r.context)
    const spent = threadCpuMs() - started
    console.log(`saveCharge of a context holding the 95,000-key constant: ${(charge / 2 ** 20).toFixed(1)} MB of the tick's ${TICK_MAX_BYTES / 2 ** 20}, ${spent.toFixed(2)} ms CPU`)
    expect(charge).toBeGreaterThan(TICK_MAX_BYTES) // one such save ends a tick (six had been saved in one commit)
    expect(spent).toBeLessThan(5) // its size was measured when it was cached
    expect(saveCharge({ s: 'x'.repeat(1000) })).toBe(JSON.stringify({ s: 'x'.repeat(1000) }).length + 2 * 20) // its characters of JSON, 2 elements
  })

  it('add_descriptor parses a long constant in the JSON worker: its first run parses nothing in the engine tick', async () => {
    const source = constant(20_000) // ~0.4 MB, over the 64 kB parsed inline
    const yaml = `workspace: warm\ndagName: one\ntype: flow\ntasks:\n  - category: pass\n    name: P\n    outputMappings:\n      - {source: '${source}', target: "$.context.c"}\n`
    await parseDescriptorForStorage(yaml, { owner: 'u1' })
    const charged: number[] = [] // what a task's mappings charge to the engine tick running them
    const hooks = mappingHooks(() => '', 'P', (bytes) => charged.push(bytes))
    const r = root()
    applyMappings([{ source, target: '$.context.c' }], r, hooks)
    expect(charged).toEqual([]) // found cached, read-only
    expect(Object.isFrozen(r.context.c)).toBe(true)
    const other = constant(20_001)
    applyMappings([{ source: other, target: '$.context.d' }], r, hooks)
    expect(charged).toEqual([CONSTANT_PARSE_CHARGE * other.length]) // not warmed: parsed by the run, and charged to its tick
  })

  it("charges a constant's parse to the tick whose mappings parsed it, never to another job's tick", () => {
    const charged: number[] = []
    const hooks = mappingHooks(() => '', 'P', (bytes) => charged.push(bytes))
    // parses outside any tick (a mapping_evaluation.json request, a submit's defaultContext): paid where they ran
    applyMappings([{ source: constant(20_002), target: '$.context.e' }], root(), mappingHooks(() => ''))
    parseSource(constant(20_003))
    // a job's mappings that parse nothing are charged nothing (a module-wide count handed them both)
    applyMappings([{ source: '$.context.x', target: '$.input.x' }], { context: { x: 1 }, input: {}, output: {} }, hooks)
    expect(charged).toEqual([])
    const own = constant(20_004)
    applyMappings([{ source: own, target: '$.context.f' }], root(), hooks)
    expect(charged).toEqual([CONSTANT_PARSE_CHARGE * own.length])
  })
})
