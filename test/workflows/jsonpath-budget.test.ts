// The work budget of JSONPath evaluation (#9 §1, §2): a chain of deep scans over a deeply nested
// context reaches nodes as C(depth, steps) (`..x` five times over 90 levels: 44 million; six over 95
// ended the process when V8 could not grow the result list). Every evaluation now spends one
// PathWork, and is refused with PathBudgetError naming the expression once it is used up; conditions
// and mappings pass that refusal on instead of reading it as "no match" or null.
import { JSONPath } from 'jsonpath-plus'
import { describe, expect, it } from 'vitest'
import {
  PATH_WORK_LIMIT,
  PathBudgetError,
  pathMatches,
  PathWork,
  readPath,
  writePath,
} from '../../electron/workflows/rillflow/jsonpath'
import { DECIMAL } from '../../electron/workflows/rillflow/jsonpath/json'
import { applyMappings, conditionsMatch, MappingError } from '../../electron/workflows/rillflow/mappings'
import { PASS_LIMITS } from '../../electron/workflows/rillflow/value-budget'
import { threadCpuMs } from '../support/cpu-time'

/** `{"x":{"x":…1…}}`, `depth` levels of one key "x". */
const nested = (depth: number): unknown => JSON.parse(`${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`)
const deepScan = (steps: number): string => `$.context${'..x'.repeat(steps)}`

/** Runs `fn`, which must throw PathBudgetError; answers it and the CPU time (ms) it took on this thread. */
function refused(fn: () => unknown): { error: PathBudgetError; ms: number } {
  const started = threadCpuMs()
  try {
    fn()
  } catch (error) {
    if (!(error instanceof PathBudgetError)) throw error
    return { error, ms: threadCpuMs() - started }
  }
  throw new Error('expected a PathBudgetError')
}

describe('JSONPath work budget', () => {
  it('refuses chained deep scans over a deep context, naming the path, within the budget (not seconds, not a crash)', () => {
    const root = { context: nested(95) }
    const { error, ms } = refused(() => readPath(root, deepScan(6)))
    expect(error.message).toContain('$.context..x..x..x..x..x..x')
    expect(error.message).toContain(`more than ${PATH_WORK_LIMIT} nodes`)
    expect(ms).toBeLessThan(1500) // ~50 ms idle; it ran 4-8 s, or ended the process, before
    // what stays within the budget still reads in full: C(30, 3) = 4060 matches
    expect((readPath({ context: nested(30) }, deepScan(3)) as unknown[]).length).toBe(4060)
  })

  it('a condition too costly to decide is refused, not read as false; cheap ones still decide', () => {
    const root = { input: nested(90) }
    expect(() => pathMatches(root, '$.input..x..x..x..x..x')).toThrow(PathBudgetError)
    expect(() => conditionsMatch(['$.input..x..x..x..x..x'], root, 'any')).toThrow(/\$\.input\.\.x\.\.x\.\.x\.\.x\.\.x/)
    expect(conditionsMatch(['$.input.x.x'], root, 'all')).toBe(true)
    expect(conditionsMatch(['$.input.y'], root, 'all')).toBe(false)
  })

  it('a shared PathWork bounds several evaluations together', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ a: i }))
    const work = new PathWork('the test', 5000)
    readPath({ items }, '$.items[*].a', work) // ~2000 units
    readPath({ items }, '$.items[*].a', work)
    expect(() => readPath({ items }, '$.items[*].a', work)).toThrow(/more than 5000 nodes, the limit of the test/)
    expect(() => readPath({ items }, '$.items[0].a', work)).toThrow(PathBudgetError) // used up: even a cheap read
  })

  it('filters spend their runs, their operand paths and their comparisons from the walk that runs them', () => {
    const big = Array.from({ length: 20_000 }, (_, i) => ({ a: i }))
    // a filter run per item: 20,000 runs of a safe-eval program cost more than the budget, 10,000 do not
    expect(() => readPath({ big }, '$.big[?(@.a < 5)]')).toThrow(/\$\.big\[\?\(@\.a < 5\)\]/)
    expect(readPath({ big: big.slice(0, 10_000) }, '$.big[?(@.a < 3)].a')).toEqual([0, 1, 2])
    // a deep-scan operand inside a filter draws from the same budget; its refusal is not "no match"
    const root = { context: { list: [1, 2], deep: nested(90) } }
    expect(() => readPath(root, '$.context.list[?(@ in $.context..x..x..x..x..x)]')).toThrow(PathBudgetError)
    // `in` over a large list is charged per comparison: 200 items × 20,000 comparisons
    const values = Array.from({ length: 20_000 }, (_, i) => i)
    const small = Array.from({ length: 200 }, (_, i) => ({ v: 100_000 + i }))
    expect(() => readPath({ small, values }, '$.small[?(@.v in $.values)]')).toThrow(PathBudgetError)
    // within the budget, filters still select
    expect(readPath({ small, values }, '$.small[?(@.v in [100000, 100003])].v')).toEqual([100_000, 100_003])
  })

  it('an indefinite write target is walked within the budget, and nothing is written when refused', () => {
    const root = { context: nested(90) as Record<string, unknown> }
    const before = JSON.stringify(root)
    expect(() => writePath(root, '$.context..x..x..x..x..x', 7)).toThrow(PathBudgetError)
    expect(JSON.stringify(root)).toBe(before)
  })

  it('a mapping pass stops at the path that runs it out, whatever its tolerance, with a MappingError naming it', () => {
    const context = { deep: nested(90) } as Record<string, unknown>
    const rules = [
      { source: '$.context.deep.x.x', target: '$.input.ok' },
      { source: '$.context.deep..x..x..x..x..x', target: '$.input.r', tolerance: true },
    ]
    const input: Record<string, unknown> = {}
    let error: unknown
    try {
      applyMappings(rules, { context, input, output: {} })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(MappingError)
    expect((error as MappingError).message).toContain('$.context.deep..x..x..x..x..x')
    expect((error as MappingError).message).toContain('the paths of one mapping pass together')
    expect((error as MappingError).cause).toBeInstanceOf(PathBudgetError)
    expect(input.ok).toBeDefined() // the rule before it ran
  })

  it('the paths of one pass share its budget: reads that each fit alone run the pass out together', () => {
    const items = new Array<number>(150_000).fill(1)
    // three reads of 150,000 items (a unit each) fit; four of them do not
    const three = Array.from({ length: 3 }, (_, i) => ({ source: '$.context.items[*]', target: `$.input.n${i}` }))
    const input: Record<string, unknown> = {}
    applyMappings(three, { context: { items }, input, output: {} })
    expect(input.n2).toHaveLength(items.length)
    const four = Array.from({ length: 4 }, (_, i) => ({ source: '$.context.items[*]', target: `$.input.n${i}`, tolerance: true }))
    expect(PASS_LIMITS.maxPathNodes).toBeLessThan(4 * items.length)
    let error: unknown
    try {
      applyMappings(four, { context: { items }, input: {}, output: {} })
    } catch (e) {
      error = e
    }
    expect((error as MappingError).cause).toBeInstanceOf(PathBudgetError)
    expect((error as MappingError).message).toMatch(/\$\.context\.items\[\*\] was stopped/)
  })

  it("DECIMAL (Java BigDecimal syntax) takes linear time: 40,000 digits and an 'x' held the thread 7 s", () => {
    const started = threadCpuMs()
    expect(DECIMAL.test(`${'1'.repeat(40_000)}x`)).toBe(false)
    expect(DECIMAL.test(`${'1'.repeat(40_000)}.${'1'.repeat(40_000)}x`)).toBe(false)
    expect(threadCpuMs() - started).toBeLessThan(500)
    for (const ok of ['1', '-1.5', '.5', '1.', '1e5', '+3', '1.5E-3']) expect(DECIMAL.test(ok), ok).toBe(true)
    for (const bad of ['.', '', 'e5', '1.2.3', '1e', '12a', '-']) expect(DECIMAL.test(bad), bad).toBe(false)
  })

  it('min() and max() of a long list do not overflow the stack', () => {
    const list = Array.from({ length: 300_000 }, (_, i) => i)
    expect(readPath({ list }, '$.list.max()')).toBe(299_999)
    expect(readPath({ list }, '$.list.min()')).toBe(0)
  })

  it("a slice from a huge negative start walks the list, not the indexes below it, with Jayway's result", () => {
    const root = { context: { l: [1, 2, 3] } }
    for (const from of [-2_000_000_000, -9_000_000_000_000]) {
      const started = threadCpuMs()
      // Jayway loops [from, to): the negative indexes in range count from the end, then index 0
      expect(readPath(root, `$.context.l[${from}:1]`)).toEqual([1, 2, 3, 1])
      expect(threadCpuMs() - started).toBeLessThan(100)
    }
    expect(readPath(root, '$.context.l[-2:1]')).toEqual([2, 3, 1])
    expect(readPath(root, '$.context.l[-2:]')).toEqual([2, 3])
    expect(readPath(root, '$.context.l[:-1]')).toEqual([1, 2])
  })

  it('a filter is charged per item by its size: 600 nested negations over 14,000 items are refused, small ones run', () => {
    const negated = (depth: number) => `${'!('.repeat(depth)}@ > 1${')'.repeat(depth)}`
    const l = Array.from({ length: 14_000 }, (_, i) => i)
    const { error, ms } = refused(() => readPath({ context: { l } }, `$.context.l[?(${negated(600)})]`))
    expect(error.message).toContain('$.context.l[?(!(!(')
    expect(ms).toBeLessThan(150)
    expect(readPath({ context: { l: [1, 2, 3] } }, `$.context.l[?(${negated(2)})]`)).toEqual([2, 3])
    expect(readPath({ context: { l: [1, 2, 3] } }, `$.context.l[?(${negated(3)})]`)).toEqual([1])
  })

  it('a filter regex is charged by its text and its program size; a program too large is refused when compiled', () => {
    expect(() => readPath({ l: ['a'] }, '$.l[?(@ =~ /(a|aa|aaa){1,1000}z/)]')).toThrow(/is too large: its RE2 program has 10002 instructions/)
    // 400 instructions a character: 1,000 strings of 1,000 characters run the budget out
    const l = Array.from({ length: 1000 }, () => 'a'.repeat(1000))
    const { error, ms } = refused(() => readPath({ l }, '$.l[?(@ =~ /(a|aa|aaa){1,40}z/)]'))
    expect(error.message).toContain('$.l[?(@ =~ /(a|aa|aaa){1,40}z/)]')
    expect(ms).toBeLessThan(300)
    // a small pattern costs a unit a character: 300 of the same strings run
    expect(readPath({ l: l.slice(0, 300) }, '$.l[?(@ =~ /^a*$/)]')).toHaveLength(300)
  })

  it('a filter over 2,000 characters is refused when compiled; a long one under it evaluates in linear time', () => {
    const terms = (n: number) => `$.l[?(${Array(n).fill('@.a==1').join(' || ')})]`
    expect(() => readPath({ l: [] }, terms(4000))).toThrow(/the filter \(@\.a==1 \|\| .*… has 39998 characters; at most 2000 are accepted/)
    const l = Array.from({ length: 200 }, (_, a) => ({ a }))
    const started = threadCpuMs()
    expect(readPath({ l }, terms(190))).toEqual([{ a: 1 }])
    expect(threadCpuMs() - started).toBeLessThan(200) // compiled cold; quadratic, it took seconds
  })

  it('a filter operand on a missing path reads as undefined without an exception; an item whose evaluation throws is charged for it', () => {
    // `@.q.z` on items without `q`: each operand once threw and caught a PathNotFoundError (~10 µs,
    // charged ~4 units), so 500,000 units of `@.q.z || … ×200` held the thread 1.9 s.
    const items = Array.from({ length: 100_000 }, (_, a) => ({ a }))
    const failing = `$.items[*][?(${Array(200).fill('@.q.z').join(' || ')})]`
    expect(readPath({ items: items.slice(0, 10) }, failing)).toEqual([]) // compiled and warmed up
    const { ms: cpuMs } = refused(() => readPath({ items }, failing))
    console.log(`500,000 units of 200 missing operands an item: ${cpuMs.toFixed(0)} ms of CPU`)
    expect(cpuMs).toBeLessThan(250) // 1,900 ms before; 50-100 ms at a load of 10 on two cores
    // Jayway's semantics hold: a missing operand is UNDEFINED (not equal, not existing), not an error
    expect(readPath({ l: [{ a: 1 }, { q: { z: 0 } }, { a: 2 }] }, '$.l[?(@.q.z || @.a == 1)]')).toEqual([{ a: 1 }, { q: { z: 0 } }])
    expect(readPath({ l: [{ a: 1 }, { a: 2, q: 1 }] }, '$.l[?(@.q.z == null || @.q[0] == 1 || @.a == 2)]')).toEqual([{ a: 2, q: 1 }])
    // `@.a in 1` throws for every item (Jayway: no match), charged 300 units an item: 2,000 items run out
    expect(readPath({ l: items.slice(0, 1000) }, '$.l[?(@.a in 1)]')).toEqual([])
    refused(() => readPath({ l: items.slice(0, 2000) }, '$.l[?(@.a in 1)]'))
  })

  it("distinct filters do not pile up in jsonpath-plus's script cache (each kept ~160 kB until the heap ran out)", () => {
    // 180 terms joined by `||` or `&&` as the bits of k say: a distinct filter code for every k
    const filter = (k: number) => Array.from({ length: 180 }, (_, i) => `@.a==1${i === 179 ? '' : Math.floor(k / 2 ** (i % 30)) % 2 ? ' && ' : ' || '}`).join('')
    const cachedChars = () => Object.keys(JSONPath.cache).reduce((n, key) => n + key.length, 0)
    for (let k = 0; k < 200; k++) expect(readPath({ l: [{ a: 1 }] }, `$.l[?(${filter(k)})]`)).toEqual([{ a: 1 }])
    // 200 codes of ~1,900 characters, each kept under two keys, were 760,000 characters (and ~32 MB of heap)
    expect(cachedChars()).toBeLessThan(500_000)
  })
})
