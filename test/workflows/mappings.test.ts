import { afterEach, describe, expect, it } from 'vitest'
import {
  applyMappings,
  conditionsMatch,
  evaluateSource,
  expandReferences,
  MappingError,
  mayWriteOutput,
  parseSource,
  type Mapping,
  type MappingHooks,
} from '../../electron/workflows/rillflow/mappings'
import { PathNotFoundError, PatternSyntaxError, pathMatches, readPath, writePath } from '../../electron/workflows/rillflow/jsonpath'
import { mappingHooks } from '../../electron/workflows/rillflow/runtime/context'
import { cloneWithin, PASS_LIMITS, VALUE_LIMITS } from '../../electron/workflows/rillflow/value-budget'
import { threadCpuMs } from '../support/cpu-time'

type Root = { context: Record<string, unknown>; input: Record<string, unknown>; output: Record<string, unknown> }

function root(parts: Partial<Root> = {}): Root {
  return { context: {}, input: {}, output: {}, ...parts }
}

/** The Goessner store document used by upstream's JSONPathTest.groovy. */
const store = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
      { category: 'fiction', author: 'J. R. R. Tolkien', title: 'The Lord of the Rings', isbn: '0-395-19395-8', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
}

describe('parseSource (JSONPathInputOutputMapping.parseSource)', () => {
  it.each([
    ['true', true],
    ['false ', false],
    ['TRUE', true],
    ['123', 123],
    ['5', 5],
    ['123.1', 123.1],
    ['00.1', 0.1],
    ['.1', 0.1],
    ['1e3', 1000],
    ['1.1.1', '1.1.1'],
    ['{"a":1}', { a: 1 }],
    ['{"a":{"b":[1,2,3]}}', { a: { b: [1, 2, 3] } }],
    ['{"a":{"b":xxx}}', '{"a":{"b":xxx}}'],
    ['[[1],2,{"a":3}]', [[1], 2, { a: 3 }]],
    ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded'],
    ['string', 'string'],
    [' string\t', ' string\t'],
    ['null', 'null'],
    ['', ''],
  ])('%j → %j', (source, expected) => {
    expect(parseSource(source)).toEqual(expected)
  })
})

describe('constant JSON sources', () => {
  it('are parsed once, yet every caller gets a copy of its own, and a write shares them read-only', () => {
    const text = '{"title": "hi", "tags": ["a"]}'
    const first = parseSource(text) as { tags: string[] }
    first.tags.push('changed')
    expect(parseSource(text)).toEqual({ title: 'hi', tags: ['a'] })
    const rule: Mapping = { source: text, target: '$.input.body' }
    const [one, two] = [root(), root()]
    applyMappings([rule], one)
    // written as it is (not copied at every run: mapping-constants-shared.test.ts): changed only by a mapping, which copies on write
    expect(() => (one.input.body as { tags: string[] }).tags.push('changed')).toThrow(TypeError)
    applyMappings([{ source: 'changed', target: '$.input.body.tags[1]' }], one)
    expect(one.input.body).toEqual({ title: 'hi', tags: ['a', 'changed'] })
    applyMappings([rule], two)
    expect(two.input.body).toEqual({ title: 'hi', tags: ['a'] })
  })

  it('refuses one nested too deep (a descriptor stored before add_descriptor checked it)', () => {
    expect(() => parseSource('['.repeat(101) + ']'.repeat(101))).toThrow('a JSON constant nests deeper than 100 levels')
    const r = root()
    expect(() => applyMappings([{ source: '{"a":' + '['.repeat(101) + ']'.repeat(101) + '}', target: '$.input.x', tolerance: false }], r)).toThrow(/nests deeper than 100 levels/)
    expect(r.input).toEqual({})
  })
})

describe('applyMappings: sources', () => {
  it('writes constant sources parsed like upstream', () => {
    const r = root()
    applyMappings(
      [
        { source: 'application/x-www-form-urlencoded', target: '$.input.header.content-type' },
        { source: '5', target: '$.input.count' },
        { source: 'true', target: '$.input.flag' },
        { source: '{"title": "hi", "tags": ["a"]}', target: '$.input.body' },
      ],
      r,
    )
    expect(r.input).toEqual({
      header: { 'content-type': 'application/x-www-form-urlencoded' },
      count: 5,
      flag: true,
      body: { title: 'hi', tags: ['a'] },
    })
  })

  it('coerces a YAML number source to text like Jackson does', () => {
    const r = root()
    applyMappings([{ source: 7 as unknown as string, target: '$.input.n' }], r)
    expect(r.input).toEqual({ n: 7 })
  })

  it('copies JSONPath sources from context, input and output', () => {
    const r = root({ context: { a: '123', url: 'http1', nested: { x: [1, 2] } }, output: { data: { id: 9 } } })
    applyMappings(
      [
        { source: '$.context.a', target: '$.input.number.a' },
        { source: '$.context.nested.x[1]', target: '$.input.second' },
        { source: '$.output.data.id', target: '$.context.taskA.data.id' },
      ],
      r,
    )
    expect(r.input).toEqual({ number: { a: '123' }, second: 2 })
    expect(r.context.taskA).toEqual({ data: { id: 9 } })
  })

  it('matches upstream "mapping const and dynamic source test"', () => {
    const r = root({ context: { a: '123', url: 'http1' } })
    applyMappings(
      [
        { source: '$.context.a', target: '$.input.number.a' },
        { source: '[{"url":"a", "name":"name1"},{"url":"b", "name":"name2"}]', target: '$.input.meta.array' },
        { source: '$.context.url', target: '$.input.meta.array[0].url' },
      ],
      r,
    )
    expect(r.input).toEqual({
      number: { a: '123' },
      meta: { array: [{ url: 'http1', name: 'name1' }, { url: 'b', name: 'name2' }] },
    })
  })

  it('does not write null values: missing leaf, missing intermediate, null transform', () => {
    const r = root({ context: { present: null } })
    applyMappings(
      [
        { source: '$.context.missing', target: '$.input.a' },
        { source: '$.context.missing.deeper', target: '$.input.b' },
        { source: '$.context.present', target: '$.input.c' },
        { source: '$.context[', target: '$.input.d' },
        { source: 'x', transform: 'return nil;', target: '$.input.e' },
      ],
      r,
      { transform: () => null },
    )
    expect(r.input).toEqual({})
  })

  it('reads later rules against earlier writes, and skips rules without target or source', () => {
    const r = root({ context: { v: 1 } })
    applyMappings(
      [
        { source: '$.context.v', target: '$.input.first' },
        { source: '$.input.first', target: '$.input.second' },
        { source: '$.context.v' },
        { target: '$.input.never' },
        { source: '   ', target: '$.input.blank' },
      ],
      r,
    )
    expect(r.input).toEqual({ first: 1, second: 1 })
  })

  it('copies written values so input never aliases context', () => {
    const r = root({ context: { obj: { n: 1 } } })
    applyMappings([{ source: '$.context.obj', target: '$.input.obj' }], r)
    ;(r.input.obj as { n: number }).n = 2
    expect(r.context.obj).toEqual({ n: 1 })
  })

  it('collects `$.output.sub_context.[*].callback_result` with nulls for missing leaves', () => {
    const r = root({ output: { sub_context: [{ callback_result: 'a' }, { other: 1 }, { callback_result: 'c' }] } })
    applyMappings([{ source: '$.output.sub_context.[*].callback_result', target: '$.context.results' }], r)
    expect(r.context.results).toEqual(['a', null, 'c'])
  })
})

describe('applyMappings: targets', () => {
  it('auto-creates intermediate objects next to existing data', () => {
    for (const input of [{}, { type: 'gif' }]) {
      const r = root({ input: { ...input } })
      applyMappings([{ source: '1', target: '$.input.meta.user.id' }], r)
      expect(readPath(r, '$.input.meta.user.id')).toBe(1)
      expect(r.input).toEqual({ ...input, meta: { user: { id: 1 } } })
    }
  })

  it('auto-creates arrays padded with null and supports bracket keys', () => {
    const r = root({ context: { list: ['x'] } })
    applyMappings(
      [
        { source: 'b', target: '$.context.a[2].b' },
        { source: 'y', target: '$.context.list[3]' },
        { source: 'v', target: "$.input['k']" },
        { source: 'dotted', target: '$.input.meta.user.["id.key"]' },
        { source: 'n', target: '$.context.m[1][0]' },
      ],
      r,
    )
    expect(r.context).toEqual({ a: [null, null, { b: 'b' }], list: ['x', null, null, 'y'], m: [null, ['n']] })
    expect(r.input).toEqual({ k: 'v', meta: { user: { 'id.key': 'dotted' } } })
  })

  it('replaces a null intermediate but refuses to write through a scalar', () => {
    const r = root({ context: { a: null, s: 'text' } })
    applyMappings(
      [
        { source: '1', target: '$.context.a.b' },
        { source: '1', target: '$.context.s.b' },
      ],
      r,
    )
    expect(r.context).toEqual({ a: { b: 1 }, s: 'text' })
    expect(() => applyMappings([{ source: '1', target: '$.context.s.b', tolerance: false }], r)).toThrow(MappingError)
  })

  it('sets every node an indefinite target matches', () => {
    const r = root({ input: { items: [{ id: 1 }, { id: 2 }, { id: 3 }] } })
    applyMappings([{ source: 'yes', target: '$.input.items[?(@.id >= 2)].hit' }], r)
    expect(r.input.items).toEqual([{ id: 1 }, { id: 2, hit: 'yes' }, { id: 3, hit: 'yes' }])
  })
})

describe('applyMappings: $.tasks', () => {
  it('builds trigger_url through the hook, with and without a query', () => {
    const calls: Array<[string, string | undefined]> = []
    const hooks: MappingHooks = {
      triggerUrl: (task, query) => {
        calls.push([task, query])
        return `cb://${task}${query ? `?${query}` : ''}`
      },
    }
    const r = root()
    applyMappings(
      [
        { source: '$.tasks.waitTask.trigger_url', target: '$.input.callback' },
        { source: '$.tasks.waitTask.trigger_url?status=FAILED', target: '$.input.failUrl' },
      ],
      r,
      hooks,
    )
    expect(r.input).toEqual({ callback: 'cb://waitTask', failUrl: 'cb://waitTask?status=FAILED' })
    expect(calls).toEqual([
      ['waitTask', undefined],
      ['waitTask', 'status=FAILED'],
    ])
  })

  it('falls back to the upstream default trigger URL', () => {
    const r = root({ context: { flow_execution_id: 'ws:dag_c_1' } })
    applyMappings([{ source: '$.tasks.t1.trigger_url?x=1', target: '$.input.url' }], r)
    expect(r.input.url).toBe('http://127.0.0.1:8080/flow/trigger.json?execution_id=ws:dag_c_1&task_name=t1&x=1')
  })

  it('reads any other $.tasks.* as null, so nothing is written', () => {
    const r = root({ context: { tasks: { t1: { output: 1 } } } })
    const hooks: MappingHooks = { triggerUrl: () => 'never' }
    applyMappings(
      [
        { source: '$.tasks.t1.output', target: '$.input.a' },
        { source: '$.tasks.t1.output.data', target: '$.input.b' },
      ],
      r,
      hooks,
    )
    expect(r.input).toEqual({})
  })
})

describe('applyMappings: transform and tolerance', () => {
  it('passes source, context, input and output to the transform hook', () => {
    const r = root({ context: { n: 4 } })
    const seen: unknown[] = []
    applyMappings([{ source: '$.context.n', transform: 'return 10 * source;', target: '$.input.x' }], r, {
      transform: (script, env) => {
        seen.push(script, env.source, env.context)
        return (env.source as number) * 10
      },
    })
    expect(r.input.x).toBe(40)
    expect(seen).toEqual(['return 10 * source;', 4, { n: 4 }])
  })

  it('runs a transform with no source, with source bound to null', () => {
    const r = root()
    applyMappings([{ transform: 'seq.list()', target: '$.input.list' }], r, {
      transform: (_script, env) => (env.source === null ? [] : 'unexpected'),
    })
    expect(r.input.list).toEqual([])
  })

  it('swallows failures unless tolerance is false, then names source and target', () => {
    const failing: MappingHooks = {
      transform: () => {
        throw new Error('boom')
      },
    }
    const r = root({ context: { a: 1 } })
    applyMappings(
      [
        { source: '$.context.a', transform: 'x', target: '$.input.lost' },
        { source: '$.context.a', transform: 'x', target: '$.input.lost2', tolerance: true },
        { source: '$.context.a', target: '$.input.kept' },
      ],
      r,
      failing,
    )
    expect(r.input).toEqual({ kept: 1 })

    const rule: Mapping = { source: '$.context.a', transform: 'x', target: '$.input.y', tolerance: false }
    let error: unknown
    try {
      applyMappings([rule], r, failing)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(MappingError)
    expect((error as MappingError).mapping).toBe(rule)
    expect((error as MappingError).message).toContain('$.context.a')
    expect((error as MappingError).message).toContain('$.input.y')
    expect((error as MappingError).message).toContain('boom')
  })

  it('fails a transform without a hook only for intolerant rules', () => {
    const r = root()
    applyMappings([{ source: '1', transform: 'source + 1', target: '$.input.a' }], r)
    expect(r.input).toEqual({})
    expect(() => applyMappings([{ source: '1', transform: 'source + 1', target: '$.input.a', tolerance: false }], r)).toThrow(
      /no transform evaluator/,
    )
  })
})

describe('applyMappings: hostile transforms and values (#9.1, #9.2)', () => {
  const hooks = mappingHooks(() => '')
  const intolerant = (transform: string, source = '1'): Mapping => ({ source, transform, target: '$.context.x', tolerance: false })

  it('a transform cannot make the context circular or change it', () => {
    const r = root({ context: { keep: [1] } })
    expect(() => applyMappings([intolerant("seq.put(context, 'self', context); return 1;")], r, hooks)).toThrow(/read-only/)
    expect(() => applyMappings([intolerant('seq.add(context.keep, 2); return 1;')], r, hooks)).toThrow(/read-only/)
    expect(r.context).toEqual({ keep: [1] })
    expect(() => JSON.stringify(r.context)).not.toThrow()
  })

  it('a transform may change its own copy of the source, never the context it came from', () => {
    const r = root({ context: { list: [1] } })
    applyMappings([{ source: '$.context.list', transform: 'seq.add(source, 2); return source;', target: '$.context.out' }], r, hooks)
    expect(r.context).toEqual({ list: [1], out: [1, 2] })
  })

  it('a value built by aliasing lists fails at once instead of being written out (34 s before)', () => {
    const r = root()
    const started = threadCpuMs()
    const script = 'let a = seq.list(1); for i in range(0, 40) { a = seq.list(a, a); } return a;'
    expect(() => applyMappings([intolerant(script)], r, hooks)).toThrow(/more than 1000000 elements/)
    expect(threadCpuMs() - started).toBeLessThan(1000)
    const selfish = "let m = seq.map(); seq.put(m, 'me', m); return m;"
    expect(() => applyMappings([intolerant(selfish)], r, hooks)).toThrow(/contains itself/)
    expect(r.context).toEqual({})
  })

  it('cloneWithin copies ordinary values, own `__proto__` keys included, and refuses oversized ones', () => {
    const value = JSON.parse('{"a": [1, {"b": "x"}], "__proto__": {"polluted": true}}') as Record<string, unknown>
    const copy = cloneWithin(value) as Record<string, unknown>
    expect(copy).toEqual(value)
    expect(copy.a).not.toBe(value.a)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(() => cloneWithin('x'.repeat(VALUE_LIMITS.maxBytes + 1))).toThrow(/bytes of JSON/)
    let deep: unknown = 1
    for (let i = 0; i < VALUE_LIMITS.maxDepth + 1; i++) deep = [deep]
    expect(() => cloneWithin(deep)).toThrow(/nested more than/)
  })
})

describe('applyMappings: one budget per pass (#9.2: 300 endless transforms held one engine tick 9.5 s)', () => {
  const hooks = mappingHooks(() => '', 'loops')
  const endless = (n: number): Mapping[] => Array.from({ length: n }, (_, i) => ({ source: '1', target: `$.context.x${i}`, transform: 'while(true) { }' }))

  it('the transforms of one pass share one step budget: the pass stops at the rule that runs it out, whatever its tolerance', () => {
    const r = root()
    let error: unknown
    try {
      applyMappings(endless(300), r, hooks)
    } catch (e) {
      error = e
    }
    // the rule named is the second: the first endless script used the pass's steps, not 300 scripts their own
    expect(error).toBeInstanceOf(MappingError)
    const perScript = 100_000 // each endless script still stops at its own budget first (tolerated: skipped)
    const last = Math.floor(PASS_LIMITS.maxSteps / perScript)
    expect((error as MappingError).mapping.target).toBe(`$.context.x${last}`)
    expect((error as Error).message).toBe(
      `mapping (source: 1, target: $.context.x${last}) of task loops: the transforms of one mapping pass may take ${PASS_LIMITS.maxSteps} steps together, and they are used up`,
    )
  })

  it('each pass has a budget of its own: many small transforms, and one pass after another, run', () => {
    const many: Mapping[] = Array.from({ length: 2000 }, (_, i) => ({ source: String(i), target: `$.input.v${i}`, transform: 'let s = 0; for i in range(0, 3) { s = s + i; } return s + source;' }))
    for (let pass = 0; pass < 20; pass++) {
      const r = root()
      applyMappings(many, r, hooks) // 2,000 rules of ~28 steps (a step per node): 56,000 steps, twenty times over
      expect(r.input.v1999).toBe(2002)
    }
  })

  it("a transform's copy of its source counts against the pass's copies; one that only reads its source makes none", () => {
    const big = 'x'.repeat(1 << 20)
    const rules = (transform: string): Mapping[] => Array.from({ length: 20 }, (_, i) => ({ source: '$.context.big', target: `$.input.n${i}`, transform }))
    // a script that may change a list or map gets its own copy of the source
    expect(() => applyMappings(rules('seq.add(seq.list(), 1); return 1;'), root({ context: { big } }), hooks)).toThrow(
      /\$\.input\.n7\) of task loops: the copies one mapping pass makes may write out to at most 8 MB together/,
    )
    const r = root({ context: { big } })
    applyMappings(rules('return string.length(source);'), r, hooks)
    expect(r.input.n19).toBe(1 << 20)
  })

  it('a copy that would grow the context past 2 MiB is refused before it is built, naming the mapping', () => {
    const r = root({ context: { s: 'x'.repeat(600_000) } })
    const doubling: Mapping[] = [
      { source: '$.context', target: '$.context.a' },
      { source: '$.context', target: '$.context.b' },
    ]
    expect(() => applyMappings(doubling, r, hooks)).toThrow(
      // `{"s":…}` 600,008 bytes; `,"a":` and its copy 1,200,013; `,"b":` and its copy of 1,200,021
      'mapping (source: $.context, target: $.context.b) of task loops: the context would exceed 2 MiB (2,097,152 bytes): with this copy it would be 2,400,047 bytes, of which the copy is 1,200,021; nothing was copied',
    )
    expect(Object.keys(r.context)).toEqual(['s', 'a']) // `a` fit (1.1 MB), `b` was never copied
  })

  it('a context submitted larger than 2 MB may be rewritten, not grown; a task input is not held to it', () => {
    const r = root({ context: { big: 'x'.repeat(3_000_000) }, output: { big: 'y'.repeat(3_000_000) } })
    applyMappings([{ source: '$.output.big', target: '$.context.big' }], r, hooks)
    expect((r.context.big as string)[0]).toBe('y')
    expect(() => applyMappings([{ source: '$.output.big', target: '$.context.other' }], r, hooks)).toThrow(
      'the context would exceed the 3,000,010 bytes it had (more than 2 MiB: it may be rewritten, not grown): with this copy it would be 6,000,021 bytes, of which the copy is 3,000,002',
    )
    applyMappings([{ source: '$.context', target: '$.input.all' }], r, hooks)
    expect(Object.keys(r.input.all as object)).toEqual(['big'])
  })

  it('an indefinite target counts the copy once for every place it writes', () => {
    const r = root({ context: { rows: Array.from({ length: 20 }, () => ({})) }, output: { blob: 'z'.repeat(300_000) } })
    expect(() => applyMappings([{ source: '$.output.blob', target: '$.context.rows[*].blob' }], r, hooks)).toThrow(
      // 20 copies of 300,002 bytes, each with its `"blob":` (7), into the 70 bytes of `{"rows":[{},…]}`: 6,000,250,
      // and a `,` for each row, counted though the rows are empty (finding them empty walks their keys)
      'the context would exceed 2 MiB (2,097,152 bytes): with this copy it would be 6,000,270 bytes, of which the copy is 6,000,040',
    )
    expect(r.context.rows).toEqual(Array.from({ length: 20 }, () => ({})))
  })
})

describe('filter regexes run on RE2 (#9.2)', () => {
  it('a catastrophic-backtracking pattern answers in linear time', () => {
    const started = threadCpuMs()
    const input = { s: `${'a'.repeat(100_000)}b` }
    expect(conditionsMatch(['$.input[?(@.s =~ /^(a+)+$/)]'], { input }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input[?(@.s =~ /(a|aa)+b/)]'], { input }, 'all')).toBe(true)
    expect(threadCpuMs() - started).toBeLessThan(1000)
  })

  it('keeps Jayway semantics: whole-string match, i/m/s flags', () => {
    const holds = (c: string, s: unknown): boolean => conditionsMatch([c], { input: { s } }, 'all')
    expect(holds('$.input[?(@.s =~ /AB.*/i)]', 'abc')).toBe(true)
    expect(holds('$.input[?(@.s =~ /b/)]', 'abc')).toBe(false)
    expect(holds('$.input[?(@.s =~ /a.c/s)]', 'a\nc')).toBe(true)
    expect(holds('$.input[?(@.s =~ /\\d+/)]', 42)).toBe(true)
    expect(holds('$.input[?(@.s =~ /x/)]', ['y', 'x'])).toBe(true)
  })

  it('a pattern RE2 cannot run is an error naming it; at run time it matches nothing, as other bad paths', () => {
    expect(() => readPath({ input: {} }, '$.input[?(@.s =~ /(a)\\1/)]')).toThrow(PatternSyntaxError)
    expect(() => readPath({ input: {} }, '$.input[?(@.s =~ /(?=a)a/)]')).toThrow(/not supported.*lookahead/)
    expect(conditionsMatch(['$.input[?(@.s =~ /(a)\\1/)]'], { input: { s: 'aa' } }, 'all')).toBe(false)
  })
})

describe('applyMappings: prototype pollution', () => {
  afterEach(() => {
    for (const key of ['x', 'polluted', 'y']) delete (Object.prototype as Record<string, unknown>)[key]
  })

  const attacks = [
    '$.context.__proto__.x',
    "$.context['__proto__'].polluted",
    '$.input.constructor.prototype.y',
    '$.__proto__.x',
    '$.context.a.__proto__',
  ]

  it.each(attacks)('refuses %s without polluting Object.prototype', (target) => {
    const r = root({ context: { a: {} } })
    applyMappings([{ source: '{"evil": true}', target }], r)
    expect(Object.prototype).not.toHaveProperty('x')
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.prototype).not.toHaveProperty('y')
    expect(({} as Record<string, unknown>).x).toBeUndefined()
    expect(Object.getPrototypeOf(r.context)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(r.context.a)).toBe(Object.prototype)
    expect(() => applyMappings([{ source: '1', target, tolerance: false }], r)).toThrow(MappingError)
  })

  it('keeps a JSON `__proto__` key as plain data', () => {
    const r = root()
    applyMappings([{ source: '{"__proto__": {"x": 1}}', target: '$.input.payload' }], r)
    const payload = r.input.payload as Record<string, unknown>
    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype)
    expect(Object.hasOwn(payload, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).x).toBeUndefined()
  })

  it("reads a data `__proto__` key among several names as a key of the result (`$.m['__proto__','a']`), not its prototype", () => {
    const r = root({ context: JSON.parse('{"m": {"__proto__": {"x": 1}, "a": 2}}') })
    applyMappings([{ source: "$.context.m['__proto__','a']", target: '$.input.both' }], r)
    const both = r.input.both as Record<string, unknown>
    expect(Object.getPrototypeOf(both)).toBe(Object.prototype)
    expect(Object.keys(both)).toEqual(['__proto__', 'a'])
    expect(both.x).toBeUndefined()
  })

  it('never reads inherited members as data', () => {
    const r = root()
    applyMappings(
      [
        { source: '$.context.constructor', target: '$.input.a' },
        { source: '$.context.toString', target: '$.input.b' },
      ],
      r,
    )
    expect(r.input).toEqual({})
  })
})

describe('conditionsMatch (ConditionsUtil, Jayway filter-on-object)', () => {
  it.each([
    [{ num: 3 }, '$.input.[?(@.num < 5)]', true],
    [{ num: 7 }, '$.input.[?(@.num < 5)]', false],
    [{ num: 5 }, '$.input.[?(@.num >= 5)]', true],
    [{ num: 4 }, '$.input.[?(@.num >= 5)]', false],
    [{}, '$.input.[?(@.num >= 5)]', false],
    [{ num: '7' }, '$.input[?(@.num >= 5)]', true],
  ])('input %j with %s → %s', (input, condition, expected) => {
    expect(conditionsMatch([condition], { input }, 'all')).toBe(expected)
  })

  it('checks result_type on an output object', () => {
    const condition = '$.output.[?(@.result_type == "SUCCESS")]'
    expect(conditionsMatch([condition], { output: { result_type: 'SUCCESS', data: 1 } }, 'all')).toBe(true)
    expect(conditionsMatch([condition], { output: { result_type: 'FAILED' } }, 'all')).toBe(false)
    expect(conditionsMatch([condition], { output: {} }, 'all')).toBe(false)
  })

  it('applies a filter to each element of an array', () => {
    expect(conditionsMatch(['$.input.[?(@.num < 5)]'], { input: [{ num: 9 }, { num: 1 }] }, 'all')).toBe(true)
    expect(conditionsMatch(['$.input.[?(@.num < 5)]'], { input: [{ num: 9 }] }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input.list[?(@ > 2)]'], { input: { list: [1, 2, 3] } }, 'all')).toBe(true)
  })

  it('matches `$.output.sub_context.[*].callback_result` when any element has it', () => {
    const path = '$.output.sub_context.[*].callback_result'
    expect(conditionsMatch([path], { output: { sub_context: [{ x: 1 }, { callback_result: null }] } }, 'all')).toBe(true)
    expect(conditionsMatch([path], { output: { sub_context: [{ x: 1 }] } }, 'all')).toBe(false)
    expect(conditionsMatch([path], { output: { sub_context: [] } }, 'all')).toBe(false)
  })

  it('follows upstream ConditionsUtilTest for all and any', () => {
    const input = { a: 1, b: 2, c: 3 }
    const allTrue = ['$.input.[?(@.a == 1)]', '$.input.[?(@.b == 2)]', '$.input.[?(@.c == 3)]']
    const oneFalse = ['$.input.[?(@.a == 1)]', '$.input.[?(@.b == 1)]', '$.input.[?(@.c == 3)]']
    const allFalse = ['$.input.[?(@.a == 0)]', '$.input.[?(@.b == 0)]', '$.input.[?(@.c == 0)]']
    expect(conditionsMatch(allTrue, { input }, 'all')).toBe(true)
    expect(conditionsMatch(oneFalse, { input }, 'all')).toBe(false)
    expect(conditionsMatch(allFalse, { input }, 'all')).toBe(false)
    expect(conditionsMatch(allTrue, { input }, 'any')).toBe(true)
    expect(conditionsMatch(oneFalse, { input }, 'any')).toBe(true)
    expect(conditionsMatch(allFalse, { input }, 'any')).toBe(false)
  })

  it('treats no conditions as allMatch/anyMatch over an empty list', () => {
    expect(conditionsMatch(undefined, { input: {} }, 'all')).toBe(true)
    expect(conditionsMatch([], { input: {} }, 'any')).toBe(false)
  })

  it('matches definite paths by presence, null values included', () => {
    expect(conditionsMatch(['$.input.flag'], { input: { flag: null } }, 'all')).toBe(true)
    expect(conditionsMatch(['$.input.flag'], { input: {} }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input.a.b'], { input: { a: 5 } }, 'all')).toBe(false)
  })

  it('supports logical operators, existence, regex and collection operators', () => {
    const input = { a: 1, name: 'Alpha', tags: ['x', 'y'], status: 'OK' }
    const holds = (c: string): boolean => conditionsMatch([c], { input }, 'all')
    expect(holds("$.input[?(@.a == 1 && (@.name == 'nope' || @.name =~ /alp.*/i))]")).toBe(true)
    expect(holds('$.input[?(@.a == 2 || @.missing)]')).toBe(false)
    expect(holds('$.input[?(!@.missing)]')).toBe(true)
    expect(holds('$.input[?(@.tags)]')).toBe(true)
    expect(holds("$.input[?(@.status in ['OK', 'DONE'])]")).toBe(true)
    expect(holds("$.input[?(@.status nin ['OK'])]")).toBe(false)
    expect(holds("$.input[?(@.tags contains 'y')]")).toBe(true)
    expect(holds('$.input[?(@.tags size 2)]')).toBe(true)
    expect(holds("$.input[?(@.tags anyof ['z', 'x'])]")).toBe(true)
    expect(holds("$.input[?(@.tags subsetof ['x'])]")).toBe(false)
    expect(holds('$.input[?(@.tags.length() > 1)]')).toBe(true)
    expect(holds('$.input[?(@.name =~ /alp/)]')).toBe(false) // Java matches() is a whole-string match
  })

  it('compares strings and numbers the Jayway way', () => {
    expect(conditionsMatch(["$.input[?(@.n == '5')]"], { input: { n: 5 } }, 'all')).toBe(true)
    expect(conditionsMatch(['$.input[?(@.n === 5)]'], { input: { n: '5' } }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input[?(@.missing == null)]'], { input: {} }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input[?(@.present == null)]'], { input: { present: null } }, 'all')).toBe(true)
    expect(conditionsMatch(['$.input[?(@.flag == true)]'], { input: { flag: 'true' } }, 'all')).toBe(false)
  })

  it('never executes script text: JS-looking filters simply do not match', () => {
    const before = Object.keys(Object.prototype)
    const attempts = [
      "$.input[?(@.constructor.constructor('return process')())]",
      '$.input[?(@.a.toString() == "1")]',
      '$.input[?(this.x = 1)]',
      '$.input[?(@.a == 1; process.exit(1))]',
      "$.input[?(@.a == 1 && __rel('==', 1, 1))]",
      '$.input[?(@.a = 2)]',
    ]
    for (const condition of attempts) {
      expect(conditionsMatch([condition], { input: { a: 1 } }, 'any')).toBe(false)
    }
    expect(Object.keys(Object.prototype)).toEqual(before)
  })

  it('rejects invalid paths as a non-match', () => {
    expect(conditionsMatch(['$.input.[?(@.num < )]'], { input: { num: 1 } }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input..'], { input: {} }, 'all')).toBe(false)
    expect(conditionsMatch(['$.input[?(@.num < 5)'], { input: { num: 1 } }, 'all')).toBe(false)
  })
})

describe('readPath (DEFAULT_PATH_LEAF_TO_NULL)', () => {
  it('returns single values for definite paths and arrays otherwise (upstream JSONPathTest)', () => {
    expect(readPath(store, '$.expensive')).toBe(10)
    expect(readPath(store, '$.store.bicycle.color')).toBe('red')
    expect(readPath(store, '$.store.book[0].author')).toBe('Nigel Rees')
    expect(readPath(store, '$.store.book.length()')).toBe(4)
    expect(readPath(store, '$.store.book[?(@.price > 20)].price')).toEqual([22.99])
    expect(readPath(store, '$.store.book[-1].title')).toBe('The Lord of the Rings')
    expect(readPath(store, '$.store.book[0,1].price')).toEqual([8.95, 12.99])
    expect(readPath(store, '$.store.book[:2].price')).toEqual([8.95, 12.99])
    expect(readPath(store, '$.store.book[?(@.isbn)].title')).toEqual(['Moby Dick', 'The Lord of the Rings'])
    expect(readPath(store, "$.store.bicycle['color','price']")).toEqual({ color: 'red', price: 19.95 })
  })

  it('acts on an object for a filter, where jsonpath-plus would scan its children', () => {
    expect(readPath(store, '$.store.bicycle.[?(@.color == "red")]')).toEqual([store.store.bicycle])
    expect(readPath(store, '$.store.bicycle[?(@.price > 100)]')).toEqual([])
  })

  it('reads a missing leaf as null and throws for a missing intermediate', () => {
    expect(readPath(store, '$.missing')).toBeNull()
    expect(readPath(store, '$.store.book[*].isbn')).toEqual([null, null, '0-553-21311-3', '0-395-19395-8'])
    expect(() => readPath(store, '$.missing.deeper')).toThrow(PathNotFoundError)
    expect(() => readPath(store, '$.missing[*].deeper')).toThrow(PathNotFoundError)
    expect(readPath(store, '$.store.book[*].missing.deeper')).toEqual([])
  })

  it('evaluateSource reads through the mapping root and maps path errors to null', () => {
    const r = root({ context: { a: { b: 1 } } })
    expect(evaluateSource({ source: '$.context.a.b' }, r)).toBe(1)
    expect(evaluateSource({ source: '$.context.x.y' }, r)).toBeNull()
    expect(evaluateSource({ source: '$.context[' }, r)).toBeNull()
    expect(evaluateSource({ source: '42' }, r)).toBe(42)
  })
})

describe('pathMatches and writePath', () => {
  it('matches upstream "test json path should match well / should not match"', () => {
    expect(pathMatches(store, '$.expensive')).toBe(true)
    expect(pathMatches(store, '$.store.bicycle.[?(@.color == "red")]')).toBe(true)
    expect(pathMatches(store, '$.store.bicycle.[?(@.price > 10)]')).toBe(true)
    expect(pathMatches(store, '$.store.bicycle.[?(@.color == "red1")]')).toBe(false)
    expect(pathMatches(store, '$.store.bicycle.[?(@.price > 100)]')).toBe(false)
  })

  it('writes and reads back keys containing dots', () => {
    const doc: Record<string, unknown> = { context: 123 }
    writePath(doc, '$.input.meta.user.["id.key"]', 1)
    expect(readPath(doc, '$.input.meta.user.["id.key"]')).toBe(1)
    expect(doc.context).toBe(123)
  })

  it('refuses to replace the root or write through a function', () => {
    expect(() => writePath({}, '$', 1)).toThrow()
    expect(() => writePath({ a: [] }, '$.a.length()', 1)).toThrow()
  })
})

describe('expandReferences (commonMapping)', () => {
  const common: Record<string, Mapping[]> = {
    auth: [
      { source: '$.context.token', target: '$.input.header.token' },
      { source: 'json', target: '$.input.format' },
    ],
  }

  it('replaces a reference by copies of the named list, in place', () => {
    const rules: Mapping[] = [{ source: '$.context.a', target: '$.input.a' }, { reference: 'auth' }, { source: '1', target: '$.input.b' }]
    const expanded = expandReferences(rules, common)
    expect(expanded).toEqual([rules[0], ...(common.auth ?? []), rules[2]])
    expect(expanded[1]).not.toBe(common.auth?.[0])
  })

  it('throws MappingError for an unknown reference', () => {
    expect(() => expandReferences([{ reference: 'nope' }], common)).toThrow(MappingError)
    expect(() => expandReferences([{ reference: 'toString' }], common)).toThrow(MappingError)
    expect(() => expandReferences([{ reference: 'auth' }], undefined)).toThrow(/auth/)
  })
})

// A choice's or foreach's output shares its groups' sub-contexts until copied; groups.ts copies it
// only when a mapping may write into it: mayWriteOutput must never say no to a target that does.
describe('mayWriteOutput', () => {
  const writesOutput = (target: string): boolean => {
    const r = root({ context: { x: 0 }, output: { x: 0, o: { x: 0 } } })
    const before = JSON.stringify(r.output)
    applyMappings([{ source: 'written', target }], r)
    return JSON.stringify(r.output) !== before
  }
  it.each(['$.output.x', '$.output.o.x', "$['output'].x", '$..x', '$.*.x'])('says yes for %s, which writes into the output', (target) => {
    expect(writesOutput(target)).toBe(true)
    expect(mayWriteOutput([{ source: 'written', target }])).toBe(true)
  })
  it.each(['$.context.x', '$.context', '$.input.x', '$.input[0]', '$.context..x'])('says no for %s, which writes into the context or the input only', (target) => {
    expect(writesOutput(target)).toBe(false)
    expect(mayWriteOutput([{ source: 'written', target }])).toBe(false)
  })
  it('says no for rules that do not run, and no rules', () => {
    expect(mayWriteOutput([{ target: '$.output.x' }, { source: 'a' }])).toBe(false)
    expect(mayWriteOutput(undefined)).toBe(false)
  })
})

// A target of a whole root value (`$.context`) replaced the pass's `root.context`, which the caller never
// reads back: the write and every later rule's write into the context were lost, the callback answered ok
// (#9). Upstream's setValue does the same (JsonPath set of `$.context` on its own map of the three); here
// the rule is refused, as a failing rule is (skipped and logged, or thrown for `tolerance: false`), and the
// rules after it apply.
describe('a target that is a whole root value', () => {
  const rootOf = () => ({ context: { kept: 1 } as Record<string, unknown>, input: {}, output: { a: 1, go: true } as Record<string, unknown> })

  for (const target of ['$.context', "$['context']", '$.input', '$.output', '$.*']) {
    it(`${target} is refused and skipped with a reason; the rules after it apply`, () => {
      const root = rootOf()
      const context = root.context
      const skipped: string[] = []
      applyMappings(
        [
          { source: '$.output', target },
          { source: '$.output.go', target: '$.context.go' },
        ],
        root,
        { skipped: (rule, reason) => skipped.push(`${rule.target}: ${reason}`) },
      )
      expect(root.context).toBe(context)
      expect(root.context).toEqual({ kept: 1, go: true })
      expect(skipped).toHaveLength(1)
      expect(skipped[0]).toMatch(/cannot replace the whole \$\.(context|input|output); write under it/)
    })
  }

  it('with `tolerance: false` it stops the pass with a MappingError naming the rule', () => {
    const root = rootOf()
    expect(() => applyMappings([{ source: '$.output', target: '$.context', tolerance: false }], root)).toThrow(MappingError)
    expect(() => applyMappings([{ source: '$.output', target: '$.context', tolerance: false }], root)).toThrow(/^mapping \(source: \$\.output, target: \$\.context\) failed: .*cannot replace the whole \$\.context/)
    expect(root.context).toEqual({ kept: 1 })
  })
})

// #9 trial: a foreach's suspense tasks read their item as `$.it`, matched nothing, and got `{}` in silence.
// Upstream writes nothing then and logs nothing; the pass writes nothing too, and tells `unmatched`.
describe('a rule whose source matches nothing', () => {
  const told = (rules: Mapping[], context: Record<string, unknown> = { x: 1 }) => {
    const notes: string[] = []
    const root = { context, input: {} as Record<string, unknown>, output: {} }
    applyMappings(rules, root, { ...mappingHooks(() => 'url'), unmatched: (rule, note) => notes.push(`${rule.target} ${note}`) })
    return { notes, input: root.input }
  }

  it('writes nothing and is told, with the root names when its path is outside them ($.it)', () => {
    expect(told([{ source: '$.it', target: '$.input.go' }, { source: '$.context.nope', target: '$.input.n' }, { source: '$.context.x', target: '$.input.x' }])).toEqual({
      notes: [
        "$.input.go source $.it matched nothing, so $.input.go was not written (the mapping root holds only $.context, $.input and $.output: a foreach's item is $.context.<item>)",
        '$.input.n source $.context.nope matched nothing, so $.input.n was not written',
      ],
      input: { x: 1 },
    })
  })

  it('a null found, a path that matches no element: told, without the root hint', () => {
    const { notes, input } = told([{ source: '$.context.n', target: '$.input.b' }, { source: '$.context.l[5]', target: '$.input.c' }], { n: null, l: [] })
    expect(input).toEqual({})
    expect(notes).toEqual([
      '$.input.b source $.context.n matched nothing, so $.input.b was not written',
      '$.input.c source $.context.l[5] matched nothing, so $.input.c was not written',
    ])
  })

  it('not told for a constant, a $.tasks source, or a rule with a transform (its null may be meant)', () => {
    const { notes } = told([
      { source: 'null', target: '$.input.a' },
      { source: '$.tasks.t.output', target: '$.input.b' },
      { source: '$.context.nope', target: '$.input.c', transform: 'return nil;' },
    ])
    expect(notes).toEqual([])
  })
})
