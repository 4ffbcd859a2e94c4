// Tree-walking evaluator for parsed Aviator programs. Every statement, loop round and expression
// node evaluated spends a step (a statement of 1,000 operators costs some 2,000, not one), and what
// a run makes counts against MAX_MADE_BYTES, so a hostile script ends with an AviatorError instead
// of hanging the host or filling its heap.
// Host data is read-only: a script may change only the lists and maps it made itself (and the
// copies named in `copyEnv`), so it can never alter, or make circular, the context it was shown.

import type { Expr, Stmt } from './ast'
import { BUILTINS, CHANGING_BUILTINS, type BuiltinContext } from './builtins'
import { AviatorError, type SourcePosition as Pos } from './lexer'
import { cloneWithin, type PassBudget } from '../value-budget'
import {
  arithmetic, compare, Dbl, equals, hasOwn, isPlainObject, MADE_BYTES, MAX_MADE_BYTES, mkNum, num, own, ownKeys, Range,
  readKey, typeName, withRunMeter, writeKey, type RunMeter,
} from './values'

export type AviatorEnv = Record<string, unknown>
export interface AviatorOptions {
  random?: () => number
  /**
   * Budget of steps: statements, loop rounds and expression nodes evaluated, one each, and what
   * built-ins and `+` scan or make (values.ts textSteps); exceeding it throws AviatorError.
   */
  maxSteps?: number
  /**
   * Env names whose values the script gets as its own copies, which it may change (a mapping's
   * `source`: `seq.add(source, 1); return source;`). Copies are bounded by value-budget.ts. Made only
   * for a script that may change a list or map (changesValues); one that only reads gets the values
   * themselves, read-only as all host data is (a foreach's items each copied a large constant, #9).
   */
  copyEnv?: readonly string[]
  /**
   * Work shared with other runs (one mapping pass, a StepPool): every step is also spent from it,
   * and the copies of `copyEnv` are counted against it when it can `clone` (else cloneWithin).
   * Its own error (PassBudgetError) ends the run.
   */
  budget?: Pick<PassBudget, 'spendSteps'> & Partial<Pick<PassBudget, 'clone'>>
}

const DEFAULT_MAX_STEPS = 100_000

/** Env values copied for runs (copyEnv) since the process started: for tests and diagnostics. */
let envCopies = 0

/** How many env values runs have copied (AviatorOptions.copyEnv) since the process started. */
export const envCopiesMade = (): number => envCopies

/**
 * Whether `program` may change a list or map: it assigns into one (`m.x = 1`, `l[0] = 1`) or calls a
 * CHANGING_BUILTINS built-in. One that may not only reads what it is given, so copies of its env are
 * not needed (the interpreter refuses any change to a value it did not make or copy: mutable).
 */
export function changesValues(program: readonly Stmt[]): boolean {
  const todo: (Stmt | Expr)[] = [...program] // a stack, not recursion: a statement may nest thousands of nodes deep
  while (todo.length > 0) {
    const n = todo.pop()!
    switch (n.t) {
      case 'assign':
        if (n.target.t !== 'var') return true
        todo.push(n.value)
        break
      case 'call':
        if (CHANGING_BUILTINS.has(n.name)) return true
        todo.push(...n.args)
        break
      case 'member': todo.push(n.obj); break
      case 'index': todo.push(n.obj, n.index); break
      case 'unary': todo.push(n.e); break
      case 'bin': todo.push(n.l, n.r); break
      case 'cond': todo.push(n.c, n.a, n.b); break
      case 'expr': case 'let': todo.push(n.e); break
      case 'if': todo.push(n.c, ...n.then, ...(n.else ?? [])); break
      case 'for': todo.push(n.coll, ...n.body); break
      case 'while': todo.push(n.c, ...n.body); break
      case 'block': todo.push(...n.body); break
      case 'return': if (n.e) todo.push(n.e); break
      default: break // lit, var, break, continue
    }
  }
  return false
}

type Completion = { kind: 'normal' | 'return' | 'break' | 'continue'; value: unknown }
const normal = (value: unknown): Completion => ({ kind: 'normal', value })

export class Interpreter implements BuiltinContext, RunMeter {
  private steps = 0
  /** Bytes this run made, as MAX_MADE_BYTES counts them. */
  private made = 0
  private readonly scopes: Map<string, unknown>[] = [new Map()]
  readonly random: () => number
  private readonly maxSteps: number
  /** Lists and maps this run made: the only ones it may change. */
  private readonly owned = new WeakSet<object>()
  private readonly env: AviatorEnv
  private readonly budget: AviatorOptions['budget']

  constructor(env: AviatorEnv, options: AviatorOptions = {}) {
    this.random = options.random ?? Math.random
    const max = options.maxSteps
    this.maxSteps = max !== undefined && Number.isFinite(max) && max >= 0 ? max : DEFAULT_MAX_STEPS
    this.env = env
    this.budget = options.budget
    const copies = (options.copyEnv ?? []).filter((name) => hasOwn(env, name))
    if (copies.length) {
      this.env = { ...env }
      const clone = this.budget?.clone ? this.budget.clone.bind(this.budget) : cloneWithin
      for (const name of copies) this.env[name] = clone(own(env, name), (copy) => this.owned.add(copy))
      envCopies += copies.length
    }
  }

  own<T extends object>(value: T): T {
    this.owned.add(value)
    return value
  }

  mutable(coll: unknown, pos: Pos): void {
    if ((Array.isArray(coll) || isPlainObject(coll)) && !this.owned.has(coll)) {
      throw new AviatorError(
        `Cannot change a ${typeName(coll)} the script was given (context, input and output are read-only); build a new one with seq.list or seq.map`,
        pos,
      )
    }
  }

  charge(n: number, pos?: Pos): void {
    this.steps += n
    if (this.steps > this.maxSteps) throw new AviatorError(`Step budget of ${this.maxSteps} exceeded`, pos)
    this.budget?.spendSteps(n)
  }

  make(bytes: number, pos?: Pos): void {
    this.made += bytes
    if (this.made > MAX_MADE_BYTES) {
      throw new AviatorError(`The script made more than ${MAX_MADE_BYTES >> 20} MB of values (text and list or map elements), the limit of one run`, pos)
    }
  }

  /** Counts `n` list or map elements made or added (make). */
  makeElements(n: number, pos?: Pos): void {
    this.make(n * MADE_BYTES.element, pos)
  }

  exec(program: Stmt[]): unknown {
    return withRunMeter(this, () => this.plain(this.block(program, [], false).value))
  }

  /** Unboxes a value for storing in a collection or returning to the host. */
  plain(v: unknown): unknown {
    if (v instanceof Dbl) return v.v
    if (!(v instanceof Range)) return v
    this.charge(v.size)
    this.makeElements(v.size)
    return this.own(Array.from({ length: v.size }, (_, i) => v.start + i * v.step))
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
      // the body may mutate the list; the copy is charged, as a loop may break after one item
      this.charge(coll.length >> 4, pos)
      const snapshot = Array.from({ length: coll.length }, (_, i) => own(coll, String(i)))
      yield* snapshot.map((v, i): [unknown, unknown] => [i, v])
    } else if (isPlainObject(coll)) {
      const keys = ownKeys(coll)
      this.charge(keys.length >> 4, pos)
      for (const k of keys) {
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
    this.charge(1, e.pos)
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
      const coll = this.eval(target.obj)
      this.mutable(coll, pos)
      writeKey(coll, key, this.plain(value), pos)
    }
    return value
  }
}
