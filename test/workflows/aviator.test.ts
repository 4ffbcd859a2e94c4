import { describe, expect, it } from 'vitest'
import { AviatorError, COMPILE_CACHE_LIMITS, compileAviator, compileCacheSize, envCopiesMade, evaluateAviator } from '../../electron/workflows/rillflow/aviator'
import { cloneWithin } from '../../electron/workflows/rillflow/value-budget'
import { threadCpuMs } from '../support/cpu-time'

const run = (src: string, env: Record<string, unknown> = {}, random?: () => number): unknown =>
  evaluateAviator(src, env, random ? { random } : undefined)

function syntaxError(src: string): AviatorError {
  try {
    compileAviator(src)
  } catch (err) {
    if (err instanceof AviatorError) return err
    throw err
  }
  throw new Error(`expected a syntax error for ${src}`)
}

describe('aviator: Rill Flow sample scripts', () => {
  it('evaluates the choice-sample transform `return 10 * source;`', () => {
    expect(run('return 10 * source;', { source: 7 })).toBe(70)
  })

  it('evaluates `rand(source)+1` with an injected random source', () => {
    expect(run('rand(source)+1', { source: 10 }, () => 0.95)).toBe(10)
    expect(run('rand(source)+1', { source: 10 }, () => 0)).toBe(1)
    expect(run('rand()', {}, () => 0.25)).toBe(0.25)
  })

  it('rand(n) stays an integer in [0, n) with the real random', () => {
    for (let i = 0; i < 50; i++) {
      const v = run('rand(3)')
      expect(Number.isInteger(v)).toBe(true)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(3)
    }
  })

  it('builds lists with seq.list / seq.add and counts them', () => {
    expect(run('return seq.list();')).toEqual([])
    expect(run('seq.list(1,2,3)')).toEqual([1, 2, 3])
    expect(run('let l = seq.list(1); seq.add(l, "x"); return l;')).toEqual([1, 'x'])
    expect(run('count(seq.list(1,2,3))')).toBe(3)
    expect(run('count(nil)')).toBe(0)
    expect(run('count(source)', { source: { a: 1, b: 2 } })).toBe(2)
  })

  it('builds maps with seq.map / seq.put / seq.get', () => {
    expect(run('let m = seq.map(); seq.put(m, "k", 1); return m;')).toEqual({ k: 1 })
    expect(run('seq.map("a", 1, "b", seq.list(2))')).toEqual({ a: 1, b: [2] })
    expect(run('seq.get(seq.map("a", 5), "a")')).toBe(5)
    expect(run('seq.get(seq.list(4, 5), 1)')).toBe(5)
    expect(run('let m = seq.map(); seq.add(m, "x", 2); return m.x;')).toBe(2)
    expect(run('let l = seq.list(1, 2); seq.put(l, 0, 9)')).toBe(1) // seq.put returns the previous value
  })
})

describe('aviator: language', () => {
  it('supports let, implicit last-statement result and explicit return', () => {
    expect(run('let x = source * 2; return x + 1;', { source: 4 })).toBe(9)
    expect(run('let x = 1; x = x + 41; x')).toBe(42)
    expect(run('1; 2; 3')).toBe(3)
    expect(run('')).toBeNull()
  })

  it('reads nested properties and indices, nil for anything missing', () => {
    const env = { source: { a: { b: 'deep' }, list: [10, 20] } }
    expect(run('source.a.b', env)).toBe('deep')
    expect(run('source.list[1]', env)).toBe(20)
    expect(run('source[0]', { source: ['first'] })).toBe('first')
    expect(run('source.a.missing.more', env)).toBeNull()
    expect(run('source.list[7]', env)).toBeNull()
    expect(run('nothing.here', env)).toBeNull()
    expect(run('source["a"]["b"]', env)).toBe('deep')
  })

  it('keeps Aviator integer vs double arithmetic', () => {
    expect(run('7 / 2')).toBe(3)
    expect(run('-7 / 2')).toBe(-3)
    expect(Object.is(run('-1 / 2'), 0)).toBe(true) // longs have no -0
    expect(run('7.0 / 2')).toBe(3.5)
    expect(run('7 % 3')).toBe(1)
    expect(run('-(2 + 3) * 2')).toBe(-10)
    expect(run('1 + 2 * 3 - 4')).toBe(3)
    expect(run('source / 2', { source: 5 })).toBe(2)
    expect(run('source / 2', { source: 5.5 })).toBe(2.75)
    expect(run('str(2.0 * 3)')).toBe('6.0')
    expect(run('str(2 * 3)')).toBe('6')
    expect(() => run('1 / 0')).toThrow(AviatorError)
    expect(run('1.0 / 0')).toBe(Infinity)
  })

  it('keeps the double flag through variables', () => {
    expect(run('let x = 3.0; x / 2')).toBe(1.5)
    expect(run('let x = double(3); x / 2')).toBe(1.5)
    expect(run('long(3.9) / 2')).toBe(1)
    expect(run('long("42") + 1')).toBe(43)
    expect(run('double("2.5") * 2')).toBe(5)
  })

  it('concatenates strings with + in both quote styles', () => {
    expect(run(`'a' + "b" + 1`)).toBe('ab1')
    expect(run('"n=" + source', { source: 2.5 })).toBe('n=2.5')
    expect(run('"x" + nil')).toBe('xnull')
    expect(run('"it\\"s" + \'\\n\'')).toBe('it"s\n')
    expect(run('str(seq.list(1, "a", nil))')).toBe('[1, a, null]')
  })

  it('compares and combines booleans', () => {
    expect(run('1 < 2 && 2 <= 2 && 3 > 2 && 3 >= 3')).toBe(true)
    expect(run('1 == 1.0 && 1 != 2')).toBe(true)
    expect(run('"a" < "b"')).toBe(true)
    expect(run('!(1 > 2) || false')).toBe(true)
    expect(run('nil == nil && x == nil && nil < 1', {})).toBe(true)
    expect(run('source != nil', { source: 0 })).toBe(true)
    expect(run('seq.list(1, 2) == seq.list(1, 2)')).toBe(true)
    expect(() => run('1 < "a"')).toThrow(AviatorError)
  })

  it('short-circuits && and ||', () => {
    expect(run('false && 1 / 0 > 1')).toBe(false)
    expect(run('true || 1 / 0 > 1')).toBe(true)
  })

  it('evaluates ternaries and if / elsif / else', () => {
    expect(run('source > 5 ? "big" : "small"', { source: 9 })).toBe('big')
    expect(run('source > 5 ? "big" : source > 2 ? "mid" : "small"', { source: 3 })).toBe('mid')
    const src = 'if (source > 5) { return "big"; } elsif (source > 2) { return "mid"; } else { return "small"; }'
    expect(run(src, { source: 9 })).toBe('big')
    expect(run(src, { source: 3 })).toBe('mid')
    expect(run(src, { source: 1 })).toBe('small')
    expect(run('if source > 1 { "yes" } else if source > 0 { "maybe" }', { source: 1 })).toBe('maybe')
    expect(run('let r = 0; if (true) { r = 1; } r')).toBe(1)
  })

  it('loops with for-in over lists, ranges and maps, with break/continue', () => {
    expect(run('let s = 0; for x in source { s = s + x; } return s;', { source: [1, 2, 3] })).toBe(6)
    expect(run('let s = 0; for i in range(0, 5) { s = s + i; } return s;')).toBe(10)
    expect(run('let l = seq.list(); for i in range(10, 0, -3) { seq.add(l, i); } l')).toEqual([10, 7, 4, 1])
    expect(run('let s = ""; for k, v in source { s = s + k + v; } s', { source: { a: 1, b: 2 } })).toBe('a1b2')
    expect(run('let s = ""; for e in source { s = s + e.key + e.value; } s', { source: { a: 1 } })).toBe('a1')
    expect(run('let s = 0; for i, x in source { s = s + i * x; } s', { source: [5, 6] })).toBe(6)
    expect(run('let s = 0; for i in range(0, 10) { if (i == 5) { break; } if (i % 2 == 0) { continue; } s = s + i; } s')).toBe(4)
    expect(run('for x in seq.list(1, 2, 3) { if (x == 2) { return x * 100; } } return 0;')).toBe(200)
    expect(run('let i = 0; while i < 4 { i = i + 1; } i')).toBe(4)
  })

  it('scopes let to blocks', () => {
    expect(run('let x = 1; if (true) { let x = 2; } x')).toBe(1)
    expect(run('for i in range(0, 3) { let t = i; } t')).toBeNull()
  })

  it('treats undefined variables as nil and reports is_def', () => {
    expect(run('missing')).toBeNull()
    expect(run('is_def(source)', { source: null })).toBe(true)
    expect(run('is_def(missing)')).toBe(false)
    expect(run('let y = 1; is_def(y)')).toBe(true)
    expect(run('is_def(source.a) && !is_def(source.b)', { source: { a: 1 } })).toBe(true)
  })

  it('supports math functions with Aviator result types', () => {
    expect(run('math.abs(-3)')).toBe(3)
    expect(run('math.abs(-2.5)')).toBe(2.5)
    expect(run('math.round(2.5)')).toBe(3)
    expect(run('math.floor(2.7) / 2')).toBe(1) // floor/ceil/round return long
    expect(run('math.ceil(2.1)')).toBe(3)
    expect(run('math.sqrt(16)')).toBe(4)
    expect(run('str(math.sqrt(16))')).toBe('4.0')
    expect(run('math.pow(2, 10)')).toBe(1024)
    expect(run('2 ** 3')).toBe(8)
  })

  it('supports string functions', () => {
    expect(run('string.length("hello")')).toBe(5)
    expect(run('string.contains("hello", "ell")')).toBe(true)
    expect(run('string.startsWith("hello", "he") && string.endsWith("hello", "lo")')).toBe(true)
    expect(run('string.substring("hello", 1, 3)')).toBe('el')
    expect(run('string.substring("hello", 2)')).toBe('llo')
    expect(run('string.split("a,b,,c,,", ",")')).toEqual(['a', 'b', '', 'c'])
    expect(run('string.split("a|b", "\\\\|")')).toEqual(['a', 'b'])
    expect(run('string.join(seq.list(1, "b", 2.5), "-")')).toBe('1-b-2.5')
    expect(run('str(12) + str(true) + str(nil)')).toBe('12truenull')
    expect(() => run('string.substring("abc", 2, 9)')).toThrow(AviatorError)
    expect(() => run('string.split("a.b", ".")')).toThrow(/not supported/)
  })

  it('evaluates progress calculation scripts against params', () => {
    const calc = 'let done = params.done; let total = params.total; total == 0 ? 0.0 : double(done) / total'
    expect(run(calc, { params: { done: 1, total: 4 }, taskRunningTimeInMillis: 10 })).toBe(0.25)
  })

  it('supports comments', () => {
    expect(run('## doubles the input\nreturn source * 2; ## trailing', { source: 2 })).toBe(4)
  })

  it('does not mutate the env when scripts assign variables', () => {
    const env = { source: 1 }
    expect(run('source = 5; source', env)).toBe(5)
    expect(env.source).toBe(1)
  })
})

describe('aviator: errors and safety', () => {
  it('reports syntax errors with position and the unexpected token', () => {
    const err = syntaxError('let x = 1;\nreturn x + ;')
    expect(err.position).toEqual({ line: 2, column: 12 })
    expect(err.message).toContain("Unexpected token ';'")
    expect(syntaxError('1 +').message).toContain('end of input')
    expect(syntaxError('foo(1)').message).toContain("Unknown function 'foo'")
    expect(syntaxError('"abc').message).toContain('Unterminated string')
    expect(syntaxError('a @ b').position).toEqual({ line: 1, column: 3 })
    expect(syntaxError('break;').message).toContain('outside of a loop')
    expect(syntaxError('seq.list(1 2)').message).toContain("Unexpected token '2'")
  })

  it('rejects hostile nesting without overflowing the stack', () => {
    expect(syntaxError('('.repeat(5000) + '1' + ')'.repeat(5000)).message).toContain('nested too deeply')
    expect(syntaxError('-'.repeat(5000) + '1').message).toContain('nested too deeply')
  })

  it('stops runaway loops with the step budget', () => {
    const started = threadCpuMs()
    expect(() => run('for i in range(0, 100000000) {}')).toThrow(/Step budget of 100000 exceeded/)
    expect(() => run('while true { }')).toThrow(AviatorError)
    expect(threadCpuMs() - started).toBeLessThan(5000)
    expect(() => evaluateAviator('for i in range(0, 50) {}', {}, { maxSteps: 10 })).toThrow(AviatorError)
    // 11 steps: the loop statement, the call and its 2 arguments, 5 rounds, the last statement and its literal
    expect(evaluateAviator('for i in range(0, 5) {} 1', {}, { maxSteps: 11 })).toBe(1)
    expect(() => evaluateAviator('for i in range(0, 5) {} 1', {}, { maxSteps: 10 })).toThrow(/Step budget of 10 exceeded/)
  })

  it('caps string growth', () => {
    // the doubling is charged the text it makes: the default budget ends it at 2 MB, a larger one at the 4 M character cap
    expect(() => run('let s = "ab"; for i in range(0, 40) { s = s + s; } s')).toThrow(/Step budget/)
    expect(() => evaluateAviator('let s = "ab"; for i in range(0, 40) { s = s + s; } s', {}, { maxSteps: 10_000_000 })).toThrow(/too large/)
  })

  it('never exposes prototypes or JS globals', () => {
    const env = { source: { a: 1 }, list: [1] }
    for (const expr of [
      'source.constructor', 'source.__proto__', 'source["constructor"]', 'source.toString',
      'source.hasOwnProperty', 'list.length', 'list.push', 'list.constructor', '"abc".length',
      'process', 'globalThis', 'require', 'constructor', '__proto__', 'toString', 'window', 'global'
    ]) {
      expect(run(expr, env), expr).toBeNull()
    }
    expect(() => run('source.constructor.constructor("return process")()', env)).toThrow(AviatorError)
    expect(() => run('let m = seq.map(); seq.put(m, "__proto__", seq.map("polluted", true)); m', env)).toThrow(AviatorError)
    expect(() => run('source.__proto__ = 1', env)).toThrow(AviatorError)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('ignores inherited and non-data properties of the env', () => {
    const env = Object.create({ inherited: 1 }) as Record<string, unknown>
    env.callback = () => 'called'
    expect(run('inherited', env)).toBeNull()
    expect(run('callback', env)).toBeNull()
  })

  it('never invokes getters on host data', () => {
    let called = false
    const source = { get secret(): string { called = true; return 'x' } }
    Object.defineProperty(source, 'secret', { enumerable: true })
    expect(run('source.secret', { source })).toBeNull()
    expect(run('str(source)', { source })).toBe('{}')
    expect(called).toBe(false)
  })

  it('reports writes to frozen host data as AviatorError', () => {
    const source = Object.freeze([1, 2])
    expect(() => run('seq.add(source, 3)', { source })).toThrow(AviatorError)
    expect(() => run('seq.put(source, 0, 3)', { source })).toThrow(AviatorError)
  })

  it('cannot change host data: context, input and output are read-only (#9.1)', () => {
    const context: Record<string, unknown> = { list: [1], map: { a: 1 } }
    const env = { context, input: { x: [1] }, output: {} }
    for (const script of [
      "seq.put(context, 'self', context)",
      'seq.add(context.list, 2)',
      "seq.put(context.map, 'b', 2)",
      "seq.remove(context.map, 'a')",
      'context.map.a = 5',
      'input.x[0] = 9',
      "let l = context.list; seq.add(l, 3)",
    ]) {
      expect(() => run(script, env), script).toThrow(/read-only/)
    }
    expect(context).toEqual({ list: [1], map: { a: 1 } })
    expect(env.input).toEqual({ x: [1] })
  })

  it('changes only what the script made, and its own copy of a mapping source', () => {
    expect(run("let m = seq.map('a', 1); seq.put(m, 'b', seq.list(1)); seq.add(m.b, 2); m")).toEqual({ a: 1, b: [1, 2] })
    expect(run('let l = seq.keys(seq.map("a", 1)); seq.add(l, "z"); l')).toEqual(['a', 'z'])
    const source = { list: [1] }
    const copied = evaluateAviator('seq.add(source.list, 2); return source;', { source }, { copyEnv: ['source'] })
    expect(copied).toEqual({ list: [1, 2] })
    expect(source).toEqual({ list: [1] })
  })

  it('copies a mapping source only for a script that may change a list or map: one that reads gets it as it is, read-only (#9)', () => {
    const source = { list: [1, 2], map: { a: 1 } }
    const before = envCopiesMade()
    // reads only (a `let` or assignment of a name is no change to a value): the source itself, never copied
    for (const script of ['return source;', 'let s = source.list; s = source; return s;', 'if (count(source.list) > 1) { for x in source.list { seq.get(source.map, "a"); } } return source;']) {
      expect(evaluateAviator(script, { source }, { copyEnv: ['source'] }), script).toBe(source)
    }
    expect(envCopiesMade()).toBe(before)
    // a change anywhere in the script (an assignment into a list or map, seq.add/put/remove): its own copy
    for (const script of ['if (false) { source.map.a = 2; } return source;', 'for x in seq.list(1) { seq.put(seq.map(), "k", x); } return source;', 'let l = seq.list(1); while (false) { seq.remove(l, 1); } return source;']) {
      const result = evaluateAviator(script, { source }, { copyEnv: ['source'] })
      expect(result, script).toEqual(source)
      expect(result, script).not.toBe(source)
    }
    expect(envCopiesMade()).toBe(before + 3)
    // a script that only reads still cannot change what it reads: it has no way to, and one that has is refused on it
    expect(() => evaluateAviator('seq.add(source.list, 3)', { source }, {})).toThrow(/read-only/)
    expect(source).toEqual({ list: [1, 2], map: { a: 1 } })
  })

  it('walks of values built by aliasing spend the step budget instead of freezing (#9.2)', () => {
    const aliased = 'let a = seq.list(1); let b = seq.list(1); for i in range(0, 40) { a = seq.list(a, a); b = seq.list(b, b); }'
    const started = threadCpuMs()
    expect(() => run(`${aliased} str(a)`)).toThrow(/Step budget/)
    expect(() => run(`${aliased} a == b`)).toThrow(/Step budget/)
    expect(() => run(`${aliased} string.join(seq.list(a, a), ",")`)).toThrow(/Step budget/)
    expect(() => run(`${aliased} let m = seq.map(); seq.put(m, a, 1)`)).toThrow(/Step budget/)
    expect(threadCpuMs() - started).toBeLessThan(5000)
  })

  it('throws AviatorError for type errors at runtime with a position', () => {
    try {
      run('let x = 1;\nx - "a"')
      expect.unreachable()
    } catch (err) {
      expect(err).toBeInstanceOf(AviatorError)
      expect((err as AviatorError).position).toEqual({ line: 2, column: 3 })
    }
    expect(() => run('if (1) { 2 }')).toThrow(/Expected a boolean/)
  })

  it('compiles once and runs many times with different envs', () => {
    const compiled = compileAviator('return 10 * source;')
    expect(compiled.run({ source: 1 })).toBe(10)
    expect(compiled.run({ source: 2.5 })).toBe(25)
  })
})

describe('aviator: built-ins are charged by what they scan and make (#9 §2)', () => {
  // 300 searches of a 2 MB context string held the main thread 3.8-4.6 s at one step each
  const text = 'a'.repeat(2_000_000)
  const loop = (call: string, times = 300) => `let c = 0; for j in range(0, ${times}) { if ${call} { c = c + 1; } } return c;`
  /** Runs `script` over `env`; answers the steps it took (maxSteps is a budget of its own: the least that lets it finish). */
  const steps = (script: string, env: Record<string, unknown> = {}, copyEnv: string[] = []): number => {
    let spent = 0
    evaluateAviator(script, env, { maxSteps: 10_000_000, copyEnv, budget: { spendSteps: (n) => void (spent += n), clone: cloneWithin } })
    return spent
  }

  it('searches cost the length they scan: 300 searches of 2 MB run out of steps in milliseconds', () => {
    for (const call of ["string.contains(s, 'ab')", "string.indexOf(s, 'ab') >= 0"]) {
      const started = performance.now()
      expect(() => run(loop(call), { s: text }), call).toThrow(/Step budget of 100000 exceeded/)
      expect(performance.now() - started, call).toBeLessThan(1500) // ~40 ms idle; 4 s before
    }
    // short strings still cost their call's step
    expect(steps("string.contains('abc', 'b')")).toBe(steps("string.startsWith('abc', 'b')"))
    expect(run(loop("string.contains(s, 'b')", 3), { s: 'abc' })).toBe(3)
  })

  it('every string built-in over long text costs steps by its length', () => {
    const env = { s: text, l: ['x'.repeat(100_000), 'y'.repeat(100_000)], d: '1'.repeat(200_000) }
    // what a script costs beyond the same script over short text (its statement and nodes)
    const short = { s: 'aa', l: ['x', 'y'], d: '1' }
    const extra = (script: string): number => steps(script, env) - steps(script, short)
    const chars = (n: number): number => Math.floor(n / 32)
    expect(extra('string.length(s)')).toBe(0)
    expect(extra("string.contains(s, 'ab')")).toBe(chars(2_000_002))
    expect(extra("string.indexOf(s, 'ab')")).toBe(chars(2_000_002))
    expect(extra("string.startsWith(s, 'ab')")).toBe(0) // scans the prefix only
    expect(extra('string.startsWith(s, s)')).toBe(chars(2_000_000))
    expect(extra('string.endsWith(s, s)')).toBe(chars(2_000_000))
    expect(extra("string.substring(s, 0, 1)")).toBe(0)
    expect(steps('string.substring(s, 0, 1000000)', env) - steps('string.substring(s, 0, 1)', env)).toBe(chars(1_000_000))
    expect(extra("string.split(s, 'b')")).toBeGreaterThanOrEqual(chars(2_000_000))
    expect(extra("string.join(l, ',')")).toBeGreaterThanOrEqual(chars(200_001))
    expect(extra('str(l)')).toBeGreaterThanOrEqual(chars(200_004))
    expect(extra('s == str(s)')).toBeGreaterThanOrEqual(chars(2_000_000))
    expect(extra('s < s')).toBeGreaterThanOrEqual(chars(2_000_000))
    expect(extra('double(d)')).toBe(chars(200_000))
    expect(() => run('long(s)', env)).toThrow(/^Cannot convert a{100}… \(2000000 characters\) to long/)
  })

  it('split charges the parts it cuts as it cuts them; join and str refuse a result too large before making it', () => {
    const started = threadCpuMs()
    expect(() => run("string.split(s, ',')", { s: 'a,'.repeat(1_000_000) })).toThrow(/Step budget/)
    const big = 'z'.repeat(2_000_000)
    expect(() => run('let l = seq.list(); for i in range(0, 200) { seq.add(l, s); } str(l)', { s: big })).toThrow(/String result too large/)
    expect(() => run("let l = seq.list(); for i in range(0, 200) { seq.add(l, s); } string.join(l, ',')", { s: big })).toThrow(
      /String result too large/,
    )
    expect(threadCpuMs() - started).toBeLessThan(3000)
    expect(run("string.split('a,b,,c,,', ',')")).toEqual(['a', 'b', '', 'c'])
    expect(run("string.split('abc', '')")).toEqual(['a', 'b', 'c'])
    expect(run("string.split('', ',')")).toEqual([''])
  })

  it('seq functions and loops over large host values cost their size', () => {
    const list = Array.from({ length: 200_000 }, (_, i) => i)
    const map = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))
    // a loop that breaks at once still copied the whole list (or read every key) to iterate it
    expect(steps('for x in l { break; }', { l: list })).toBeGreaterThanOrEqual(200_000 / 16)
    expect(steps('for k, v in m { break; }', { m: map })).toBeGreaterThanOrEqual(50_000 / 16)
    expect(steps('count(m)', { m: map })).toBeGreaterThanOrEqual(50_000)
    expect(steps('seq.remove(l, -1)', { l: list }, ['l'])).toBeGreaterThanOrEqual(200_000)
    expect(() => run('for i in range(0, 1000) { for x in l { break; } }', { l: list })).toThrow(/Step budget/)
  })
})

describe('aviator: every node evaluated and every value made is charged (#9, atk16)', () => {
  /** Steps `script` takes, with a budget large enough to finish it. */
  const steps = (script: string, env: Record<string, unknown> = {}): number => {
    let spent = 0
    evaluateAviator(script, env, { maxSteps: 1e9, budget: { spendSteps: (n) => void (spent += n), clone: cloneWithin } })
    return spent
  }
  const chars = (n: number): number => Math.floor(n / 32)

  it('a statement costs a step per node it evaluates, so a wide one in a loop ends at once', () => {
    expect(steps('1')).toBe(2) // the statement and its literal
    expect(steps('1+1+1')).toBe(6) // and two operators and two more literals
    expect(steps('string.length("ab")')).toBe(3) // the call and its argument
    expect(steps(`${Array(1000).fill('1').join('+')};`)).toBe(2000)
    // 1,000 terms (2 kB) held the main thread ~2 s at one step a statement
    const started = threadCpuMs()
    expect(() => run(`while (true) { ${Array(1000).fill('1').join('+')}; }`)).toThrow(/Step budget of 100000 exceeded/)
    expect(threadCpuMs() - started).toBeLessThan(500) // some 10 ms idle
  })

  it('+ is charged the text it makes, so a fresh 2 MB concatenation cannot be compared for free', () => {
    const s = 'a'.repeat(64_000)
    expect(steps('s + s', { s }) - steps('s + s', { s: 'aa' })).toBe(chars(128_000))
    expect(steps("s + 1", { s }) - steps("s + 1", { s: 'aa' })).toBe(chars(64_001) - chars(3))
    // 150 comparisons of a fresh 2 MB concatenation held the probe 1.45-1.66 s; an endless loop ran 5 min
    const started = threadCpuMs()
    expect(() => run("let s = 'a'; for i in range(0, 21) { s = s + s; } for i in range(0, 150) { (s + 'b') < 'a'; } return 1;")).toThrow(/Step budget/)
    expect(() => run("for i in range(0, 150) { (s + 'b') < 'a'; } return 1;", { s: 'a'.repeat(2 << 20) })).toThrow(/Step budget/)
    expect(() => run("while (true) { (s + 'b') < 'a'; }", { s: 'a'.repeat(2 << 20) })).toThrow(/Step budget/)
    expect(threadCpuMs() - started).toBeLessThan(1500) // some 30 ms idle
    expect(run("let s = ''; for i in range(0, 100) { s = s + i + ','; } string.length(s)")).toBe(290) // ordinary building fits
  })

  it('what a run makes counts against a size budget, refused with an error naming it', () => {
    // 2,000 kept 4 MB concatenations ended the process; the default step budget ends it at once
    const keep = "let s = 'a'; for i in range(0, 21) { s = s + s; } let l = seq.list(); for i in range(0, 2000) { let t = s + s; t < 'a'; seq.add(l, t); } return count(l);"
    expect(() => run(keep)).toThrow(/Step budget/)
    // with a budget of steps large enough, the size budget refuses it: 32 MB of 2-byte characters made
    const started = threadCpuMs()
    expect(() => evaluateAviator(keep, {}, { maxSteps: 1e9 })).toThrow(/made more than 32 MB of values .* the limit of one run/)
    expect(threadCpuMs() - started).toBeLessThan(2000)
    // lists and maps count their elements as they are made or added (16 bytes each)
    expect(() => evaluateAviator('let l = seq.list(); while (true) { seq.add(l, 1); }', {}, { maxSteps: 1e9 })).toThrow(/made more than 32 MB/)
    expect(() => evaluateAviator('let m = seq.map(); for i in range(0, 10000000) { seq.put(m, i, i); }', {}, { maxSteps: 1e9 })).toThrow(/made more than 32 MB/)
    expect(() => evaluateAviator("let l = seq.list(); for i in range(0, 10000000) { seq.add(l, string.substring(s, 0, 1000)); }", { s: 'x'.repeat(1000) }, { maxSteps: 1e9 })).toThrow(/made more than 32 MB/)
    // a run's budget is its own: the next run starts afresh
    expect(run('let l = seq.list(); for i in range(0, 1000) { seq.add(l, i); } count(l)')).toBe(1000)
  }, 60_000) // ~2.5 s of CPU (2 million list and map elements); 33 s of wall time was seen at load 16
})

describe('aviator: the compile cache is bounded by source size as well as count (#9, atk16)', () => {
  it('keeps at most COMPILE_CACHE_LIMITS of scripts and source, least recently used dropped first', () => {
    // a 58 kB script keeps ~5.4 MB of AST: 560 distinct ones reached 3.6 GB by count alone
    // 29 statements of 1,000 terms each: wide, not deep (a chain of 29,000 is refused as nested too deeply)
    const chain = Array(1000).fill('1').join('+')
    const large = (k: number) => `${Array(29).fill(chain).join('; ')}; ${k}`
    for (let k = 0; k < 30; k++) expect(run(large(k))).toBe(k) // compiled, run and cached
    const { scripts, sourceChars } = compileCacheSize()
    expect(sourceChars).toBeLessThanOrEqual(COMPILE_CACHE_LIMITS.sourceChars)
    expect(scripts).toBeLessThanOrEqual(Math.floor(COMPILE_CACHE_LIMITS.sourceChars / large(0).length))
    // small scripts fill the count, not the characters
    run('1 + 0')
    for (let k = 1; k <= COMPILE_CACHE_LIMITS.scripts + 50; k++) {
      run(`1 + ${k}`)
      if (k % 100 === 0) run('1 + 0')
    }
    expect(compileCacheSize().scripts).toBe(COMPILE_CACHE_LIMITS.scripts)
    expect(compileCacheSize().sourceChars).toBeLessThanOrEqual(COMPILE_CACHE_LIMITS.sourceChars)
    // a script larger than the whole cache is compiled and run, not kept
    const huge = Array(Math.ceil(COMPILE_CACHE_LIMITS.sourceChars / chain.length) + 1).fill(chain).join('; ')
    expect(() => run(huge)).toThrow(AviatorError) // its steps outrun the budget
    expect(compileCacheSize().sourceChars).toBeLessThan(COMPILE_CACHE_LIMITS.sourceChars)
  })
})
