// A small, safe interpreter for the subset of the Aviator expression language that Rill Flow
// descriptors use in mapping `transform`s and progress `calculation`s. Scripts are untrusted
// descriptor content, so nothing here executes JS: source -> tokens -> AST -> tree walk, with a
// step budget against endless loops and reads limited to own enumerable data properties.

import { AviatorError, tokenize, type SourcePosition as Pos, type Token } from './aviator-lexer'

export { AviatorError }
export type AviatorEnv = Record<string, unknown>
export interface AviatorOptions {
  random?: () => number
  /** Budget of statements + loop iterations + calls; exceeding it throws AviatorError. */
  maxSteps?: number
}
export interface CompiledAviator {
  run(env: AviatorEnv, options?: AviatorOptions): unknown
}

type Expr =
  | { t: 'lit'; v: unknown; pos: Pos }
  | { t: 'var'; name: string; pos: Pos }
  | { t: 'member'; obj: Expr; key: string; pos: Pos }
  | { t: 'index'; obj: Expr; index: Expr; pos: Pos }
  | { t: 'call'; name: string; args: Expr[]; pos: Pos }
  | { t: 'unary'; op: string; e: Expr; pos: Pos }
  | { t: 'bin'; op: string; l: Expr; r: Expr; pos: Pos }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr; pos: Pos }
  | { t: 'assign'; target: Expr; value: Expr; pos: Pos }
type Stmt =
  | { t: 'expr'; e: Expr; pos: Pos }
  | { t: 'let'; name: string; e: Expr; pos: Pos }
  | { t: 'if'; c: Expr; then: Stmt[]; else?: Stmt[]; pos: Pos }
  | { t: 'for'; k?: string; v: string; coll: Expr; body: Stmt[]; pos: Pos }
  | { t: 'while'; c: Expr; body: Stmt[]; pos: Pos }
  | { t: 'block'; body: Stmt[]; pos: Pos }
  | { t: 'return'; e?: Expr; pos: Pos }
  | { t: 'break' | 'continue'; pos: Pos }

/** Aviator distinguishes long from double; JS cannot for integral values, so doubles are boxed while evaluating. */
class Dbl {
  constructor(readonly v: number) {}
}
/** Lazy range so `for i in range(0, 1e8)` costs budget per iteration instead of allocating. */
class Range {
  constructor(readonly start: number, readonly end: number, readonly step: number) {}
  get size(): number {
    return Math.max(0, Math.ceil((this.end - this.start) / this.step))
  }
}

const DEFAULT_MAX_STEPS = 100_000
const MAX_NESTING = 200
const MAX_STRING = 1 << 22
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype'])
const KEYWORDS = new Set(['let', 'if', 'elsif', 'else', 'for', 'in', 'while', 'return', 'break', 'continue', 'fn', 'lambda', 'end'])
const LITERALS = new Map<string, unknown>([['nil', null], ['true', true], ['false', false]])
const BLOCK_STATEMENTS = new Set(['if', 'for', 'while', 'block'])
const PRECEDENCE = new Map([['||', 1], ['&&', 2], ['==', 3], ['!=', 3], ['<', 4], ['<=', 4], ['>', 4], ['>=', 4], ['+', 5], ['-', 5], ['*', 6], ['/', 6], ['%', 6]])

// ---------------------------------------------------------------- parser

class Parser {
  private i = 0
  private depth = 0
  private loops = 0

  constructor(private readonly toks: Token[]) {}

  program(): Stmt[] {
    return this.statements(true)
  }

  private peek(): Token {
    return this.toks[Math.min(this.i, this.toks.length - 1)]
  }
  private is(text: string): boolean {
    const t = this.peek()
    return (t.kind === 'op' || t.kind === 'ident') && t.text === text
  }
  private eat(text: string): boolean {
    if (!this.is(text)) return false
    this.i++
    return true
  }
  private expect(text: string): void {
    if (!this.eat(text)) throw this.unexpected()
  }
  private unexpected(t: Token = this.peek()): AviatorError {
    if (t.kind === 'eof') return new AviatorError('Unexpected end of input', t.pos)
    return new AviatorError(`Unexpected ${t.kind === 'str' ? 'string' : 'token'} '${t.text}'`, t.pos)
  }
  private name(): string {
    const t = this.peek()
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) throw this.unexpected()
    this.i++
    return t.text
  }
  /** Guards recursion so a hostile `((((...` cannot overflow the JS stack. */
  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_NESTING) throw new AviatorError('Script is nested too deeply', this.peek().pos)
    try {
      return fn()
    } finally {
      this.depth--
    }
  }

  private statements(topLevel: boolean): Stmt[] {
    const out: Stmt[] = []
    const atEnd = (): boolean => (topLevel ? this.peek().kind === 'eof' : this.is('}'))
    while (!atEnd()) {
      if (this.eat(';')) continue
      if (this.peek().kind === 'eof') throw this.unexpected()
      const s = this.statement()
      out.push(s)
      // Statements are separated by ';' except after a block; anything else is a syntax error.
      if (!BLOCK_STATEMENTS.has(s.t) && !this.eat(';') && !atEnd()) throw this.unexpected()
    }
    return out
  }

  private block(): Stmt[] {
    this.expect('{')
    const body = this.nested(() => this.statements(false))
    this.expect('}')
    return body
  }

  private loopBody(): Stmt[] {
    this.loops++
    try {
      return this.block()
    } finally {
      this.loops--
    }
  }

  private statement(): Stmt {
    const t = this.peek()
    const word = t.kind === 'ident' ? t.text : ''
    const pos = t.pos
    if (word === 'let') {
      this.i++
      const name = this.name()
      this.expect('=')
      return { t: 'let', name, e: this.expr(), pos }
    }
    if (word === 'if') return (this.i++, this.ifRest(pos))
    if (word === 'for') {
      this.i++
      const first = this.name()
      const second = this.eat(',') ? this.name() : undefined
      this.expect('in')
      const coll = this.expr()
      return second ? { t: 'for', k: first, v: second, coll, body: this.loopBody(), pos } : { t: 'for', v: first, coll, body: this.loopBody(), pos }
    }
    if (word === 'while') {
      this.i++
      const c = this.expr()
      return { t: 'while', c, body: this.loopBody(), pos }
    }
    if (word === 'return') {
      this.i++
      const bare = this.is(';') || this.is('}') || this.peek().kind === 'eof'
      return bare ? { t: 'return', pos } : { t: 'return', e: this.expr(), pos }
    }
    if (word === 'break' || word === 'continue') {
      if (this.loops === 0) throw new AviatorError(`'${word}' outside of a loop`, pos)
      this.i++
      return { t: word, pos }
    }
    if (this.is('{')) return { t: 'block', body: this.block(), pos }
    return { t: 'expr', e: this.expr(), pos }
  }

  private ifRest(pos: Pos): Stmt {
    const c = this.expr()
    const then = this.block()
    if (this.is('elsif') || (this.is('else') && this.toks[this.i + 1]?.kind === 'ident' && this.toks[this.i + 1]?.text === 'if')) {
      this.i += this.is('elsif') ? 1 : 2
      const elsePos = this.peek().pos
      return { t: 'if', c, then, else: [this.nested(() => this.ifRest(elsePos))], pos }
    }
    return this.eat('else') ? { t: 'if', c, then, else: this.block(), pos } : { t: 'if', c, then, pos }
  }

  private expr(): Expr {
    return this.nested(() => {
      const left = this.ternary()
      const t = this.peek()
      if (!this.is('=')) return left
      if (left.t !== 'var' && left.t !== 'member' && left.t !== 'index') throw this.unexpected()
      this.i++
      return { t: 'assign', target: left, value: this.expr(), pos: t.pos }
    })
  }

  private ternary(): Expr {
    const c = this.binary(1)
    const t = this.peek()
    if (!this.eat('?')) return c
    const a = this.expr()
    this.expect(':')
    return { t: 'cond', c, a, b: this.nested(() => this.ternary()), pos: t.pos }
  }

  /** Precedence climbing over the left-associative binary operators. */
  private binary(minPrec: number): Expr {
    let left = this.unary()
    for (;;) {
      const t = this.peek()
      const prec = t.kind === 'op' ? PRECEDENCE.get(t.text) : undefined
      if (prec === undefined || prec < minPrec) return left
      this.i++
      left = { t: 'bin', op: t.text, l: left, r: this.binary(prec + 1), pos: t.pos }
    }
  }

  private unary(): Expr {
    const t = this.peek()
    if (t.kind === 'op' && (t.text === '-' || t.text === '!')) {
      this.i++
      return { t: 'unary', op: t.text, e: this.nested(() => this.unary()), pos: t.pos }
    }
    const base = this.postfix()
    const p = this.peek()
    if (!this.eat('**')) return base
    return { t: 'bin', op: '**', l: base, r: this.nested(() => this.unary()), pos: p.pos }
  }

  private postfix(): Expr {
    let e = this.primary()
    for (;;) {
      const t = this.peek()
      if (this.eat('.')) {
        const key = this.peek()
        if (key.kind !== 'ident') throw this.unexpected()
        this.i++
        e = { t: 'member', obj: e, key: key.text, pos: t.pos }
      } else if (this.eat('[')) {
        e = { t: 'index', obj: e, index: this.expr(), pos: t.pos }
        this.expect(']')
      } else if (this.is('(')) {
        e = this.call(e, t)
      } else return e
    }
  }

  /** Only built-in functions exist, so a callee must be a (dotted) name known at compile time. */
  private call(callee: Expr, paren: Token): Expr {
    const name = dottedName(callee)
    if (name === undefined) throw this.unexpected(paren)
    const fn = BUILTINS.get(name)
    if (!fn && name !== 'is_def') throw new AviatorError(`Unknown function '${name}'`, callee.pos)
    this.expect('(')
    const args: Expr[] = []
    if (!this.is(')')) do args.push(this.expr())
    while (this.eat(','))
    this.expect(')')
    const [min, max] = fn ? [fn.min, fn.max] : [1, 1]
    if (args.length < min || args.length > max) throw new AviatorError(`Wrong number of arguments (${args.length}) passed to ${name}`, callee.pos)
    if (name === 'is_def' && dottedName(args[0]) === undefined) throw new AviatorError('is_def expects a variable name', args[0].pos)
    return { t: 'call', name, args, pos: callee.pos }
  }

  private primary(): Expr {
    const t = this.peek()
    const pos = t.pos
    if (t.kind === 'num') return (this.i++, { t: 'lit', v: t.isDouble ? new Dbl(t.num ?? 0) : t.num, pos })
    if (t.kind === 'str') return (this.i++, { t: 'lit', v: t.text, pos })
    if (t.kind === 'ident') {
      if (LITERALS.has(t.text)) return (this.i++, { t: 'lit', v: LITERALS.get(t.text), pos })
      return { t: 'var', name: this.name(), pos }
    }
    if (this.eat('(')) {
      const e = this.expr()
      this.expect(')')
      return e
    }
    throw this.unexpected()
  }
}

function dottedName(e: Expr): string | undefined {
  if (e.t === 'var') return e.name
  if (e.t !== 'member') return undefined
  const base = dottedName(e.obj)
  return base === undefined ? undefined : `${base}.${e.key}`
}

// ---------------------------------------------------------------- values

interface Num {
  n: number
  dbl: boolean
}
function num(v: unknown): Num | undefined {
  if (v instanceof Dbl) return { n: v.v, dbl: true }
  return typeof v === 'number' ? { n: v, dbl: !Number.isInteger(v) } : undefined
}
function mkNum(n: number, dbl: boolean): number | Dbl {
  return dbl ? new Dbl(n) : n === 0 ? 0 : n // Java longs have no -0
}
function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto: unknown = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null
}
/** Host values Aviator cannot represent (functions, undefined, symbols, bigint) read as nil. */
function normalize(v: unknown): unknown {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol' || typeof v === 'bigint' ? null : v
}
/** Own enumerable *data* property: getters are never invoked, so no host code runs on a script's behalf. */
function dataDescriptor(obj: object, key: string): PropertyDescriptor | undefined {
  if (FORBIDDEN.has(key)) return undefined
  const d = Object.getOwnPropertyDescriptor(obj, key)
  return d && d.enumerable && 'value' in d ? d : undefined
}
function hasOwn(obj: object, key: string): boolean {
  return dataDescriptor(obj, key) !== undefined
}
function own(obj: object, key: string): unknown {
  return normalize(dataDescriptor(obj, key)?.value)
}
function ownKeys(obj: object): string[] {
  return Object.keys(obj).filter((k) => hasOwn(obj, k))
}
/** The only way scripts read host data: own enumerable keys of plain objects, integer indices of arrays. */
function readKey(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj)) {
    const i = num(key)
    return i && !i.dbl && i.n >= 0 && i.n < obj.length ? own(obj, String(i.n)) : null
  }
  if (!isPlainObject(obj)) return null
  const k = keyOf(key)
  return own(obj, k)
}
function keyOf(key: unknown): string {
  return typeof key === 'string' ? key : javaString(key)
}
function typeName(v: unknown): string {
  if (v === null) return 'nil'
  if (v instanceof Dbl) return 'double'
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'double'
  if (Array.isArray(v) || v instanceof Range) return 'list'
  return isPlainObject(v) ? 'map' : typeof v
}
function formatDouble(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(n)
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(n) ? `${n}.0` : String(n)
  // Java switches to scientific notation outside [1e-3, 1e7): 1.0E7, 1.5E-4.
  const [mantissa, exp] = n.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${Number(exp)}`
}
/** Java-style toString, used by `+` concatenation and str(). */
function javaString(v: unknown, depth = 0): string {
  if (depth > MAX_NESTING) throw new AviatorError('Value is nested too deeply')
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (v instanceof Dbl) return formatDouble(v.v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatDouble(v)
  if (Array.isArray(v)) return `[${v.map((x) => javaString(x, depth + 1)).join(', ')}]`
  if (v instanceof Range) return `range(${v.start}, ${v.end})`
  if (isPlainObject(v)) return `{${ownKeys(v).map((k) => `${k}=${javaString(own(v, k), depth + 1)}`).join(', ')}}`
  return `<${typeof v}>`
}
function checkedString(s: string, pos?: Pos): string {
  if (s.length > MAX_STRING) throw new AviatorError('String result too large', pos)
  return s
}
function equals(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_NESTING) throw new AviatorError('Value is nested too deeply')
  const na = num(a)
  const nb = num(b)
  if (na || nb) return !!na && !!nb && na.n === nb.n
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => equals(x, b[i], depth + 1))
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = ownKeys(a)
    return ka.length === ownKeys(b).length && ka.every((k) => hasOwn(b, k) && equals(own(a, k), own(b, k), depth + 1))
  }
  return false
}
/** Aviator ordering: nil sorts below everything; only number/number, string/string, bool/bool compare. */
function compare(a: unknown, b: unknown, pos?: Pos): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const na = num(a)
  const nb = num(b)
  if (na && nb) return Math.sign(na.n - nb.n)
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  throw new AviatorError(`Cannot compare ${typeName(a)} with ${typeName(b)}`, pos)
}
function arithmetic(op: string, a: unknown, b: unknown, pos: Pos): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) return checkedString(javaString(a) + javaString(b), pos)
  const x = num(a)
  const y = num(b)
  if (!x || !y) throw new AviatorError(`Cannot apply '${op}' to ${typeName(a)} and ${typeName(b)}`, pos)
  const dbl = x.dbl || y.dbl
  // Java long division/remainder by zero throws; double division yields Infinity/NaN.
  if (!dbl && y.n === 0 && (op === '/' || op === '%')) throw new AviatorError('Division by zero', pos)
  switch (op) {
    case '+': return mkNum(x.n + y.n, dbl)
    case '-': return mkNum(x.n - y.n, dbl)
    case '*': return mkNum(x.n * y.n, dbl)
    case '/': return mkNum(dbl ? x.n / y.n : Math.trunc(x.n / y.n), dbl)
    case '%': return mkNum(x.n % y.n, dbl)
    default: return mkNum(x.n ** y.n, dbl || y.n < 0) // '**'
  }
}

// ---------------------------------------------------------------- evaluator

type Completion = { kind: 'normal' | 'return' | 'break' | 'continue'; value: unknown }
const normal = (value: unknown): Completion => ({ kind: 'normal', value })

class Interp {
  private steps = 0
  private readonly scopes: Map<string, unknown>[] = [new Map()]
  readonly random: () => number
  private readonly maxSteps: number

  constructor(private readonly env: AviatorEnv, options: AviatorOptions = {}) {
    this.random = options.random ?? Math.random
    const max = options.maxSteps
    this.maxSteps = max !== undefined && Number.isFinite(max) && max >= 0 ? max : DEFAULT_MAX_STEPS
  }

  charge(n: number, pos?: Pos): void {
    this.steps += n
    if (this.steps > this.maxSteps) throw new AviatorError(`Step budget of ${this.maxSteps} exceeded`, pos)
  }

  exec(program: Stmt[]): unknown {
    const c = this.block(program, [], false)
    return this.plain(c.value)
  }

  /** Unboxes a value for storing in a collection or returning to the host. */
  plain(v: unknown): unknown {
    if (v instanceof Dbl) return v.v
    if (!(v instanceof Range)) return v
    this.charge(v.size)
    return Array.from({ length: v.size }, (_, i) => v.start + i * v.step)
  }

  private block(body: Stmt[], vars: [string, unknown][], newScope = true): Completion {
    if (newScope) this.scopes.push(new Map(vars))
    try {
      let last = normal(null)
      for (const s of body) {
        last = this.stmt(s)
        if (last.kind !== 'normal') break
      }
      return last
    } finally {
      if (newScope) this.scopes.pop()
    }
  }

  private stmt(s: Stmt): Completion {
    this.charge(1, s.pos)
    switch (s.t) {
      case 'expr': return normal(this.eval(s.e))
      case 'let': {
        const v = this.eval(s.e)
        this.scopes[this.scopes.length - 1].set(s.name, v)
        return normal(v)
      }
      case 'if': {
        const branch = this.truthy(this.eval(s.c), s.c.pos) ? s.then : s.else
        return branch ? this.block(branch, []) : normal(null)
      }
      case 'block': return this.block(s.body, [])
      case 'return': return { kind: 'return', value: s.e ? this.eval(s.e) : null }
      case 'break': case 'continue': return { kind: s.t, value: null }
      case 'for': return this.loop(this.iterate(this.eval(s.coll), s.pos, s.k !== undefined), s.k, s.v, s.body, s.pos)
      case 'while': return this.loop(this.whileItems(s.c), undefined, undefined, s.body, s.pos)
    }
  }

  private *whileItems(c: Expr): Generator<[unknown, unknown]> {
    while (this.truthy(this.eval(c), c.pos)) yield [null, null]
  }

  /** Yields [key or index, value] pairs; a single-variable loop over a map sees {key, value} entries. */
  private *iterate(coll: unknown, pos: Pos, twoVars: boolean): Generator<[unknown, unknown]> {
    if (coll === null) return
    if (coll instanceof Range) {
      for (let i = 0, x = coll.start; i < coll.size; i++, x += coll.step) yield [i, x]
    } else if (Array.isArray(coll)) {
      const snapshot = Array.from({ length: coll.length }, (_, i) => own(coll, String(i))) // the body may mutate the list
      yield* snapshot.map((v, i): [unknown, unknown] => [i, v])
    } else if (isPlainObject(coll)) {
      for (const k of ownKeys(coll)) {
        yield [k, twoVars ? own(coll, k) : { key: k, value: own(coll, k) }]
      }
    } else throw new AviatorError(`Cannot iterate over ${typeName(coll)}`, pos)
  }

  private loop(items: Iterable<[unknown, unknown]>, k: string | undefined, v: string | undefined, body: Stmt[], pos: Pos): Completion {
    for (const [key, value] of items) {
      this.charge(1, pos)
      const vars: [string, unknown][] = []
      if (k !== undefined) vars.push([k, key])
      if (v !== undefined) vars.push([v, value])
      const c = this.block(body, vars)
      if (c.kind === 'return') return c
      if (c.kind === 'break') break
    }
    return normal(null)
  }

  /** Conditions must be booleans (as in Aviator); nil is accepted as false. */
  truthy(v: unknown, pos: Pos): boolean {
    if (typeof v === 'boolean') return v
    if (v === null) return false
    throw new AviatorError(`Expected a boolean but got ${typeName(v)}`, pos)
  }

  private lookup(name: string): unknown {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      if (this.scopes[i].has(name)) return this.scopes[i].get(name)
    }
    return own(this.env, name)
  }

  private isDefined(e: Expr): boolean {
    if (e.t === 'var') return this.scopes.some((s) => s.has(e.name)) || hasOwn(this.env, e.name)
    if (e.t !== 'member' || !this.isDefined(e.obj)) return false
    const obj = this.eval(e.obj)
    return (isPlainObject(obj) && hasOwn(obj, e.key)) || (Array.isArray(obj) && readKey(obj, Number(e.key)) !== null)
  }

  private eval(e: Expr): unknown {
    switch (e.t) {
      case 'lit': return e.v
      case 'var': return this.lookup(e.name)
      case 'member': return readKey(this.eval(e.obj), e.key)
      case 'index': return readKey(this.eval(e.obj), this.eval(e.index))
      case 'cond': return this.truthy(this.eval(e.c), e.c.pos) ? this.eval(e.a) : this.eval(e.b)
      case 'assign': return this.assign(e.target, this.eval(e.value), e.pos)
      case 'unary': {
        const v = this.eval(e.e)
        if (e.op === '!') return !this.truthy(v, e.pos)
        const n = num(v)
        if (!n) throw new AviatorError(`Cannot negate ${typeName(v)}`, e.pos)
        return mkNum(-n.n, n.dbl)
      }
      case 'bin': return this.binary(e.op, e.l, e.r, e.pos)
      case 'call': {
        this.charge(1, e.pos)
        if (e.name === 'is_def') return this.isDefined(e.args[0])
        const fn = BUILTINS.get(e.name)
        if (!fn) throw new AviatorError(`Unknown function '${e.name}'`, e.pos)
        return fn.fn(e.args.map((a) => this.eval(a)), this, e.pos)
      }
    }
  }

  private binary(op: string, l: Expr, r: Expr, pos: Pos): unknown {
    if (op === '&&') return this.truthy(this.eval(l), l.pos) && this.truthy(this.eval(r), r.pos)
    if (op === '||') return this.truthy(this.eval(l), l.pos) || this.truthy(this.eval(r), r.pos)
    const a = this.eval(l)
    const b = this.eval(r)
    switch (op) {
      case '==': return equals(a, b)
      case '!=': return !equals(a, b)
      case '<': return compare(a, b, pos) < 0
      case '<=': return compare(a, b, pos) <= 0
      case '>': return compare(a, b, pos) > 0
      case '>=': return compare(a, b, pos) >= 0
      default: return arithmetic(op, a, b, pos)
    }
  }

  /** Assignment without `let` updates the nearest scope that has the name, else the script's global scope. */
  private assign(target: Expr, value: unknown, pos: Pos): unknown {
    if (target.t === 'var') {
      const scope = [...this.scopes].reverse().find((s) => s.has(target.name)) ?? this.scopes[0]
      scope.set(target.name, value)
    } else if (target.t === 'member' || target.t === 'index') {
      const key = target.t === 'member' ? target.key : this.eval(target.index)
      writeKey(this.eval(target.obj), key, this.plain(value), pos)
    }
    return value
  }
}

/** Writes into a list slot or map key; refuses prototype-related keys so scripts cannot pollute prototypes. */
function writeKey(coll: unknown, key: unknown, value: unknown, pos: Pos): unknown {
  if (Array.isArray(coll)) {
    const i = num(key)
    if (!i || i.dbl || i.n < 0 || i.n >= coll.length) throw new AviatorError(`Index ${javaString(key)} out of bounds`, pos)
    const prev = own(coll, String(i.n))
    coll[i.n] = value
    return prev
  }
  const k = keyOf(key)
  if (!isPlainObject(coll)) throw new AviatorError(`Cannot set '${k}' on ${typeName(coll)}`, pos)
  if (FORBIDDEN.has(k)) throw new AviatorError(`Forbidden key '${k}'`, pos)
  const prev = own(coll, k)
  coll[k] = value
  return prev
}

// ---------------------------------------------------------------- built-in functions

type BuiltinFn = (args: unknown[], ctx: Interp, pos: Pos) => unknown
interface Builtin {
  min: number
  max: number
  fn: BuiltinFn
}
const builtin = (min: number, max: number, fn: BuiltinFn): Builtin => ({ min, max, fn })

function needNum(v: unknown, fn: string, pos: Pos): Num {
  const n = num(v)
  if (!n) throw new AviatorError(`${fn} expects a number but got ${typeName(v)}`, pos)
  return n
}
function needLong(v: unknown, fn: string, pos: Pos): number {
  const n = needNum(v, fn, pos)
  if (n.dbl) throw new AviatorError(`${fn} expects a long but got double`, pos)
  return n.n
}
function needStr(v: unknown, fn: string, pos: Pos): string {
  if (typeof v !== 'string') throw new AviatorError(`${fn} expects a string but got ${typeName(v)}`, pos)
  return v
}
/** List-like arguments (lists and ranges) as an array; nil counts as empty, like Aviator's seq functions. */
function items(v: unknown, ctx: Interp, pos: Pos): unknown[] {
  const list = v === null ? [] : ctx.plain(v)
  if (!Array.isArray(list)) throw new AviatorError(`Expected a list but got ${typeName(v)}`, pos)
  ctx.charge(list.length, pos)
  return Array.from({ length: list.length }, (_, i) => own(list, String(i)))
}
function count(v: unknown, pos: Pos): number {
  if (v === null) return 0
  if (typeof v === 'string' || Array.isArray(v)) return v.length
  if (v instanceof Range) return v.size
  if (isPlainObject(v)) return ownKeys(v).length
  throw new AviatorError(`count cannot be applied to ${typeName(v)}`, pos)
}
function toLong(v: unknown, pos: Pos): number {
  const n = num(v) ?? (typeof v === 'string' && v.trim() !== '' ? num(Number(v)) : undefined)
  if (!n || !Number.isFinite(n.n)) throw new AviatorError(`Cannot convert ${javaString(v)} to long`, pos)
  return Math.trunc(n.n)
}
function toDouble(v: unknown, pos: Pos): Dbl {
  const n = num(v) ?? (typeof v === 'string' && v.trim() !== '' ? num(Number(v)) : undefined)
  if (!n || Number.isNaN(n.n)) throw new AviatorError(`Cannot convert ${javaString(v)} to double`, pos)
  return new Dbl(n.n)
}
function randInt(bound: number, random: () => number, pos: Pos): number {
  if (bound <= 0) throw new AviatorError('rand bound must be positive', pos)
  return Math.max(0, Math.min(bound - 1, Math.floor(random() * bound))) // clamp a misbehaving injected random
}
/** Java String.split without regex (user regexes risk ReDoS): literal or backslash-escaped single-char separators only. */
function split(s: string, sep: string, pos: Pos): string[] {
  const literal = /^\\[^A-Za-z0-9]$/.test(sep) ? sep[1] : sep
  if (literal === sep && /[.$|()[\]{}^?*+\\]/.test(sep)) throw new AviatorError(`Regex separator '${sep}' is not supported`, pos)
  const parts = s.split(literal)
  if (parts.length > 1) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop() // Java drops trailing empties
  return parts
}
function substring(s: string, begin: number, end: number, pos: Pos): string {
  if (begin < 0 || end > s.length || begin > end) throw new AviatorError(`substring range [${begin}, ${end}) out of bounds`, pos)
  return s.slice(begin, end)
}
function seqAdd(a: unknown[], ctx: Interp, pos: Pos): unknown {
  const [coll, x, y] = a
  if (Array.isArray(coll) && a.length === 2) coll.push(ctx.plain(x))
  else if (isPlainObject(coll) && a.length === 3) writeKey(coll, x, ctx.plain(y), pos)
  else throw new AviatorError(`seq.add cannot add ${a.length - 1} value(s) to ${typeName(coll)}`, pos)
  return coll
}
function seqMap(a: unknown[], ctx: Interp, pos: Pos): unknown {
  if (a.length % 2 !== 0) throw new AviatorError('seq.map expects key/value pairs', pos)
  const map: Record<string, unknown> = {}
  for (let i = 0; i < a.length; i += 2) writeKey(map, a[i], ctx.plain(a[i + 1]), pos)
  return map
}
function seqRemove(a: unknown[], _ctx: Interp, pos: Pos): unknown {
  const [coll, x] = a
  if (Array.isArray(coll)) {
    const i = Array.from({ length: coll.length }, (_, k) => own(coll, String(k))).findIndex((v) => equals(v, x))
    if (i >= 0) coll.splice(i, 1)
  } else if (isPlainObject(coll)) {
    if (hasOwn(coll, keyOf(x))) delete coll[keyOf(x)]
  } else if (coll !== null) throw new AviatorError(`seq.remove cannot remove from ${typeName(coll)}`, pos)
  return coll
}
function mapPart(v: unknown, part: 'keys' | 'vals', ctx: Interp, pos: Pos): unknown[] {
  if (v === null) return []
  if (!isPlainObject(v)) throw new AviatorError(`seq.${part} expects a map but got ${typeName(v)}`, pos)
  const keys = ownKeys(v)
  ctx.charge(keys.length, pos)
  return part === 'keys' ? keys : keys.map((k) => own(v, k))
}
const extreme = (sign: number): BuiltinFn => (a, _ctx, pos) => a.reduce((best, x) => (compare(x, best, pos) * sign > 0 ? x : best))
const mathDouble = (name: string, f: (...n: number[]) => number, arity = 1): [string, Builtin] =>
  [`math.${name}`, builtin(arity, arity, (a, _ctx, pos) => new Dbl(f(...a.map((x) => needNum(x, `math.${name}`, pos).n))))]
const mathLong = (name: string, f: (n: number) => number): [string, Builtin] =>
  [`math.${name}`, builtin(1, 1, (a, _ctx, pos) => f(needNum(a[0], `math.${name}`, pos).n))]
const stringPair = (name: string, f: (s: string, t: string) => unknown): [string, Builtin] =>
  [`string.${name}`, builtin(2, 2, (a, _ctx, pos) => f(needStr(a[0], `string.${name}`, pos), needStr(a[1], `string.${name}`, pos)))]

const BUILTINS = new Map<string, Builtin>([
  ['rand', builtin(0, 1, (a, ctx, pos) => (a.length === 0 ? new Dbl(ctx.random()) : randInt(needLong(a[0], 'rand', pos), ctx.random, pos)))],
  ['str', builtin(1, 1, (a, _ctx, pos) => checkedString(javaString(a[0]), pos))],
  ['long', builtin(1, 1, (a, _ctx, pos) => toLong(a[0], pos))],
  ['double', builtin(1, 1, (a, _ctx, pos) => toDouble(a[0], pos))],
  ['count', builtin(1, 1, (a, _ctx, pos) => count(a[0], pos))],
  ['is_empty', builtin(1, 1, (a, _ctx, pos) => count(a[0], pos) === 0)],
  ['include', builtin(2, 2, (a, ctx, pos) => items(a[0], ctx, pos).some((x) => equals(x, a[1])))],
  ['min', builtin(1, Infinity, extreme(-1))],
  ['max', builtin(1, Infinity, extreme(1))],
  ['range', builtin(2, 3, (a, _ctx, pos) => {
    const [start, end, step = 1] = a.map((x) => needLong(x, 'range', pos))
    if (step === 0) throw new AviatorError('range step must not be 0', pos)
    return new Range(start, end, step)
  })],
  ['seq.list', builtin(0, Infinity, (a, ctx) => a.map((x) => ctx.plain(x)))],
  ['seq.map', builtin(0, Infinity, seqMap)],
  ['seq.add', builtin(2, 3, seqAdd)],
  ['seq.put', builtin(3, 3, (a, ctx, pos) => writeKey(a[0], a[1], ctx.plain(a[2]), pos))],
  ['seq.get', builtin(2, 2, (a) => readKey(a[0], a[1]))],
  ['seq.remove', builtin(2, 2, seqRemove)],
  ['seq.contains_key', builtin(2, 2, (a) => (isPlainObject(a[0]) ? hasOwn(a[0], keyOf(a[1])) : Array.isArray(a[0]) && readKey(a[0], a[1]) !== null))],
  ['seq.keys', builtin(1, 1, (a, ctx, pos) => mapPart(a[0], 'keys', ctx, pos))],
  ['seq.vals', builtin(1, 1, (a, ctx, pos) => mapPart(a[0], 'vals', ctx, pos))],
  ['math.abs', builtin(1, 1, (a, _ctx, pos) => {
    const n = needNum(a[0], 'math.abs', pos)
    return mkNum(Math.abs(n.n), n.dbl)
  })],
  mathLong('round', Math.round),
  mathLong('floor', Math.floor),
  mathLong('ceil', Math.ceil),
  mathDouble('sqrt', Math.sqrt),
  mathDouble('pow', Math.pow, 2),
  mathDouble('log', Math.log),
  mathDouble('log10', Math.log10),
  ['string.length', builtin(1, 1, (a, _ctx, pos) => needStr(a[0], 'string.length', pos).length)],
  stringPair('contains', (s, t) => s.includes(t)),
  stringPair('startsWith', (s, t) => s.startsWith(t)),
  stringPair('endsWith', (s, t) => s.endsWith(t)),
  stringPair('indexOf', (s, t) => s.indexOf(t)),
  ['string.split', builtin(2, 2, (a, ctx, pos) => {
    const parts = split(needStr(a[0], 'string.split', pos), needStr(a[1], 'string.split', pos), pos)
    ctx.charge(parts.length, pos)
    return parts
  })],
  ['string.join', builtin(1, 2, (a, ctx, pos) => {
    const sep = a.length > 1 ? needStr(a[1], 'string.join', pos) : ''
    return checkedString(items(a[0], ctx, pos).map((x) => javaString(x)).join(sep), pos)
  })],
  ['string.substring', builtin(2, 3, (a, _ctx, pos) => {
    const s = needStr(a[0], 'string.substring', pos)
    const end = a.length > 2 ? needLong(a[2], 'string.substring', pos) : s.length
    return substring(s, needLong(a[1], 'string.substring', pos), end, pos)
  })]
])

// ---------------------------------------------------------------- public API

export function compileAviator(source: string): CompiledAviator {
  if (typeof source !== 'string') throw new AviatorError('Aviator script must be a string')
  const program = new Parser(tokenize(source)).program()
  return {
    run(env: AviatorEnv, options?: AviatorOptions): unknown {
      try {
        return new Interp(env ?? {}, options).exec(program)
      } catch (err) {
        // Host data can still trip the JS runtime (stack depth on huge nesting, writes to frozen
        // objects); callers should see that as a script failure like any other.
        if (err instanceof RangeError || err instanceof TypeError) throw new AviatorError(`Script failed: ${err.message}`)
        throw err
      }
    }
  }
}

const CACHE_LIMIT = 500
const cache = new Map<string, CompiledAviator>()

export function evaluateAviator(source: string, env: AviatorEnv, options?: AviatorOptions): unknown {
  let compiled = cache.get(source)
  if (compiled) cache.delete(source) // re-inserted below to mark as most recently used
  else compiled = compileAviator(source)
  cache.set(source, compiled)
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  return compiled.run(env, options)
}

