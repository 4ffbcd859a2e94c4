// Long flat expressions (parse.ts checkShape): a chain of operators longer than MAX_OPERATORS is
// refused before the parser runs, with cypher_syntax naming the limit, line and column, instead of
// overflowing the stack of the recursive passes (a 20,000-term OR answered 500 "Maximum call stack
// size exceeded" after 8–26 s). Chains within the limit, and long lists, run as before.
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_NESTING, MAX_OPERATORS } from '../../electron/graph/cypher/parse'
import { runCypher } from '../../electron/graph/cypher/run'
import type { GraphDb } from '../../electron/graph/store/graph-db'
import { useFixtureGraph, q } from './fixture'
import { threadCpuMs } from '../support/cpu-time'

let g: GraphDb
const fixture = useFixtureGraph('all')
beforeAll(() => ({ g } = fixture))

/** The error runCypher throws for `script`, with how long it took. */
function refusal(script: string): { code: string; message: string; line?: number; ms: number } {
  const started = Date.now()
  try {
    runCypher(g, { script })
  } catch (e) {
    const { code, message, line } = e as { code: string; message: string; line?: number }
    return { code, message, line, ms: Date.now() - started }
  }
  throw new Error(`${script.slice(0, 40)}… ran`)
}

const ors = (n: number) => Array.from({ length: n }, (_, i) => `n.id = ${i}`).join(' OR ')

describe('long flat expressions', () => {
  it('refuses a 20,000-term OR at once, naming the limit, line and column', () => {
    const r = refusal(`MATCH (n:person)\nWHERE ${ors(20_000)}\nRETURN n.id`)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(new RegExp(`^Expression too long: more than ${MAX_OPERATORS} operators in one expression \\(use IN \\[\\.\\.\\.\\] for a long list of alternatives\\) at line 2, column \\d+\\.$`))
    expect(r.line).toBe(2)
    expect(r.ms).toBeLessThan(1000) // before the parser, which takes tens of seconds on 400 KB
  })

  it.each([
    ['a sum', `RETURN 1${' + 1'.repeat(20_000)} AS x`],
    ['a string concatenation', `RETURN 'a'${" || 'a'".repeat(20_000)} AS x`],
    ['NOT NOT …', `RETURN ${'NOT '.repeat(20_000)}true AS x`],
    ['a chain of properties', `RETURN {a: 1}${'.a'.repeat(20_000)} AS x`],
    ['a chain of indexes', `RETURN [1]${'[0]'.repeat(20_000)} AS x`],
    ['an AND chain split by comments', `RETURN true${' /* , */ AND true'.repeat(20_000)} AS x`],
  ])('refuses %s of 20,000 terms with cypher_syntax', (_what, script) => {
    const r = refusal(script)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(/^Expression too long: .* at line 1, column \d+\.$/)
  })

  // The pre-check looked only 8 characters back for the `.`: nine spaces or a comment after each dot
  // made every name a variable, and a 20,000-step chain cost a query worker ~12 s (#9.6).
  it.each([
    ['nine spaces', '         a.'],
    ['a comment', '/*x*/a.'],
    ['a line comment', '// x\n a.'],
  ])('refuses a property chain with %s after each dot at once', (_what, step) => {
    const r = refusal(`WITH {a: 1} AS n RETURN n.${step.repeat(MAX_OPERATORS * 2)}a`)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(/^Expression too long: /)
    expect(r.ms).toBeLessThan(1000)
  })

  it('still reads a variable\'s property across spaces and a comment after the dot as one level', () => {
    expect(q(g, `WITH {a: {b: 2}} AS n RETURN n.  /* a */ a. b AS x`)).toEqual([{ x: 2 }])
  })

  // the ANTLR parser takes some 20 µs a character (more on a loaded machine): kept short
  it('runs an OR of 900 comparisons, a sum of 1,500 terms and a list of 2,000 items', { timeout: 120_000 }, () => {
    expect(q(g, `MATCH (n:person) WHERE ${ors(900)} RETURN n.id ORDER BY n.id`)).toEqual([{ 'n.id': 1 }, { 'n.id': 2 }, { 'n.id': 3 }, { 'n.id': 4 }])
    expect(q(g, `RETURN 1${' + 1'.repeat(1_499)} AS x`)).toEqual([{ x: 1_500 }])
    expect(q(g, `RETURN size([${Array.from({ length: 2_000 }, (_, i) => `-${i}.5e-3`).join(', ')}]) AS n`)).toEqual([{ n: 2_000 }])
  })

  it('does not count operators inside strings or comments, and sees brackets after a comment with a quote', () => {
    expect(q(g, `RETURN '${' OR '.repeat(5_000)}' AS s // it's ${'+'.repeat(5_000)}`)[0].s).toHaveLength(20_000)
    expect(refusal(`// it's\nRETURN ${'['.repeat(200)}${']'.repeat(200)} // '`).message).toMatch(/^Query nested too deeply: more than 100 levels of brackets and CASE expressions at line 2, column \d+\.$/)
  })
})

// CASE … END nests with keywords, not brackets: the guard did not count it, and 1,000 levels (21 KB)
// held a query worker until the request's timeout (#9, test/cypher/attack-nested-case.test.ts).
// Every other construct that nests an expression does it inside brackets, which are counted:
// parentheses, calls, reduce(), list and pattern comprehensions, all/any/none/single, lists, maps,
// map projections, EXISTS / COUNT / COLLECT { … }.
describe('CASE nesting', () => {
  const deep = MAX_NESTING + 1
  it.each([
    ['in THEN', `RETURN ${'CASE WHEN true THEN '.repeat(deep)}1${' END'.repeat(deep)} AS x`],
    ['in WHEN', `RETURN ${'CASE WHEN '.repeat(deep)}true${' THEN 1 END'.repeat(deep)} AS x`],
    ['in ELSE', `RETURN ${'CASE WHEN false THEN 1 ELSE '.repeat(deep)}1${' END'.repeat(deep)} AS x`],
    ['as the subject of a simple CASE', `RETURN ${'CASE '.repeat(deep)}1${' WHEN 1 THEN 1 END'.repeat(deep)} AS x`],
    ['mixed with brackets', `RETURN ${'CASE WHEN true THEN ['.repeat(deep / 2 + 1)}1${'] END'.repeat(deep / 2 + 1)} AS x`],
    ['with a variable named end in each WHEN', `WITH true AS end RETURN ${'CASE WHEN end THEN '.repeat(deep)}1${' END'.repeat(deep)} AS x`],
    ['with a variable named end in each THEN', `WITH 1 AS end RETURN ${'CASE WHEN true THEN end + '.repeat(deep)}1${' END'.repeat(deep)} AS x`],
    ['1,000 deep', `RETURN ${'CASE WHEN true THEN '.repeat(1000)}1${' END'.repeat(1000)} AS x`],
  ])('refuses CASE nested %s past the limit at once, naming the limit and where', (_what, script) => {
    const r = refusal(script)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(/^Query nested too deeply: more than 100 levels of brackets and CASE expressions at line 1, column \d+\.$/)
    expect(r.ms).toBeLessThan(1000)
  })

  // the constructs that nest inside brackets: counted by the bracket rule, each refused past the limit
  it.each([
    ['parentheses', (d: number) => `RETURN ${'('.repeat(d)}1${')'.repeat(d)} AS x`],
    ['function calls', (d: number) => `RETURN ${'abs('.repeat(d)}1${')'.repeat(d)} AS x`],
    ['list comprehensions', (d: number) => `RETURN ${'[x IN '.repeat(d)}[1]${' | x]'.repeat(d)} AS x`],
    ['pattern comprehensions', (d: number) => `MATCH (n) RETURN ${'[(n)-->(m) WHERE '.repeat(d)}true${' | 1]'.repeat(d)} AS x`],
    ['reduce()', (d: number) => `RETURN ${'reduce(a = 0, x IN '.repeat(d)}[1]${' | a + x)'.repeat(d)} AS x`],
    ['all()', (d: number) => `RETURN ${'all(x IN [1] WHERE '.repeat(d)}true${')'.repeat(d)} AS x`],
    ['map literals', (d: number) => `RETURN ${'{a: '.repeat(d)}1${'}'.repeat(d)} AS x`],
    ['map projections', (d: number) => `WITH {a: 1} AS m RETURN ${'m{b: '.repeat(d)}1${'}'.repeat(d)} AS x`],
    ['EXISTS subqueries', (d: number) => `MATCH (n) WHERE ${'EXISTS { MATCH (n) WHERE '.repeat(d)}true${' }'.repeat(d)} RETURN n`],
    ['COUNT subqueries', (d: number) => `RETURN ${'COUNT { MATCH (n) WHERE '.repeat(d)}true${' } > 0'.repeat(d)} AS x`],
  ])('refuses %s nested past the limit at once', (_what, nest) => {
    const r = refusal(nest(deep))
    expect(r.message).toMatch(/^Query nested too deeply: /)
    expect(r.ms).toBeLessThan(1000)
  })

  it('closes a level at each END: 300 CASE expressions one after another run', () => {
    const cases = Array.from({ length: 300 }, (_, i) => `CASE WHEN x = ${i} THEN 1 ELSE 0 END`).join(' + ')
    expect(q(g, `WITH 7 AS x RETURN ${cases} AS n`)).toEqual([{ n: 1 }])
  })

  // Full LL prediction made the parse cubic in the CASE depth (40: 1.7 s, 100: 53 s at load 10):
  // grammar.ts parses with SLL first, and bounds LL's work when SLL fails.
  it('runs CASE nested to the limit promptly', () => {
    const started = threadCpuMs()
    expect(q(g, `RETURN ${'CASE WHEN true THEN '.repeat(MAX_NESTING)}7${' END'.repeat(MAX_NESTING)} AS x`)).toEqual([{ x: 7 }])
    expect(threadCpuMs() - started).toBeLessThan(5000)
  })

  it.each([
    ['after them', `RETURN ${'CASE WHEN true THEN '.repeat(MAX_NESTING)}1${' END'.repeat(MAX_NESTING)} AS x x`],
    ['inside them', `RETURN ${'CASE WHEN true THEN '.repeat(MAX_NESTING)}1 +${' END'.repeat(MAX_NESTING)} AS x`],
    // a long list raises the whole text's budget, not what one decision may spend
    ['after a list of 5,000 items', `RETURN size([${'1, '.repeat(5_000)}1]) AS n, ${'CASE WHEN true THEN '.repeat(MAX_NESTING)}1${' END'.repeat(MAX_NESTING)} AS x x`],
  ])('refuses CASE nested to the limit with a syntax error %s within seconds, naming where', (_what, script) => {
    const r = refusal(script)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(/^Query too complex to parse: .* at line 1, column \d+\.$/)
    expect(r.line).toBe(1)
    expect(r.ms).toBeLessThan(5000)
  })

  it('still names the line and column of a syntax error in a few nested CASEs', () => {
    const r = refusal(`RETURN CASE WHEN true THEN\n  CASE WHEN true THEN 1 END\nEND AS x x`)
    expect(r.code).toBe('cypher_syntax')
    expect(r.message).toMatch(/^Invalid syntax: .*\(line 3, column 10\)$/)
  })

  it('parses a statement that only full LL prediction parses (SLL fails on it)', () => {
    // CASE WHEN true THEN <the variable CASE> WHEN true THEN 1 + <the variable END> END: SLL gives up
    expect(q(g, `WITH 2 AS END, 5 AS CASE RETURN CASE WHEN true THEN CASE WHEN true THEN 1 + END END AS x`)).toEqual([{ x: 5 }])
  })

  it('still takes case and end as names: variables, map keys, properties, aliases', () => {
    expect(q(g, `WITH {end: 1, case: 2} AS m, 3 AS end RETURN m.end + m.case + end AS case, CASE WHEN end = 3 THEN end END AS y`)).toEqual([{ case: 6, y: 3 }])
  })
})
