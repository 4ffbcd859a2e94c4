// Walker (Jayway PathToken.evaluate and friends): follows a CompiledPath through a document and
// records every node it reaches, with the parent/key needed to write there. Every node stepped
// into or recorded, and every filter run, is spent from a PathWork (work.ts), so a path that
// would reach millions of nodes stops with PathBudgetError instead of holding the thread.

import { UNDEF, type CompiledPath, type SafeProgram, type Token } from './compiled'
import { fail, PathNotFoundError } from './errors'
import { matchingIndexes, runFilter, type OperandReader } from './filter'
import { applyFunction } from './functions'
import { isJsonObject, type Container, type JsonMap, type Key } from './json'
import { OPERAND_WALK_COST, PathWork } from './work'
import { setOwn } from '../safe-keys'

export interface WalkOptions {
  leafToNull: boolean
  suppress: boolean
  requireProps: boolean
}

interface Env {
  root: unknown
  opts: WalkOptions
  /** The budget every walk of this evaluation spends, filter operands' included. */
  work: PathWork
  /** The expression being evaluated (a filter operand's walk names the path that holds the filter). */
  text: string
  /**
   * A filter operand's walk: where Jayway throws PathNotFoundException it notes `missing` and
   * stops, which the operand reads as UNDEFINED (or "does not exist"). No exception: each one
   * thrown and caught cost some 10 µs (`@.q.z ×200` over items without `q` held the thread 1.9 s
   * within one budget).
   */
  operand?: boolean
  /** How filters of this walk read their operands: made once per Env, not once per walker. */
  operands?: OperandReader
}

interface Ref {
  parent: Container
  keys: Key[]
}

interface Hit {
  value: unknown
  ref: Ref | null
}

/**
 * Every node `path` reaches in `doc`, with where it sits (for writes). Spends from `work` (a fresh
 * PathWork when not given); throws PathBudgetError when it is used up.
 */
export function walk(path: CompiledPath, doc: unknown, root: unknown, opts: WalkOptions, work = new PathWork()): Hit[] {
  const walker = new Walker(path, { root, opts, work, text: path.text }, true)
  walker.run(doc)
  return walker.hits
}

/**
 * The values `path` reaches in `doc`, in walk's order, without recording where they sit: a read of
 * `$.output.sub_context.[*].x` over a 100k-item foreach made 100k write references it never used.
 * Spends from `work` as walk does.
 */
export function walkValues(path: CompiledPath, doc: unknown, root: unknown, opts: WalkOptions, work = new PathWork()): unknown[] {
  return valuesIn(path, doc, { root, opts, work, text: path.text }) ?? []
}

/** The values `path` reaches in `doc`; for an operand walk (Env.operand), null when it met a missing node. */
function valuesIn(path: CompiledPath, doc: unknown, env: Env): unknown[] | null {
  if (env.operand) env.work.spend(OPERAND_WALK_COST, env.text)
  const walker = new Walker(path, env, false)
  walker.run(doc)
  return walker.missing ? null : walker.values
}

/** An own property holding a value; a key holding `undefined` counts as missing. */
function hasValue(model: JsonMap, name: string): boolean {
  return Object.hasOwn(model, name) && model[name] !== undefined
}

class Walker {
  /** What was reached: with references (`refs`), or values only. */
  readonly hits: Hit[] = []
  readonly values: unknown[] = []
  private readonly tokens: readonly Token[]
  private readonly operands: OperandReader
  private readonly work: PathWork
  /** An operand walk met a missing node (Env.operand): it has stopped, and its values mean nothing. */
  missing = false

  constructor(
    private readonly path: CompiledPath,
    private readonly env: Env,
    private readonly refs: boolean,
  ) {
    this.tokens = path.tokens
    this.operands = env.operands ??= operandReader(env)
    this.work = env.work
  }

  /** One unit for a node stepped into or recorded: what bounds the walk and its result lists. */
  private visit(): void {
    if (--this.work.left < 0) this.work.refuse(this.env.text)
  }

  run(doc: unknown): void {
    if (this.tokens.length === 0) this.record(doc, null)
    else this.step(0, doc, null)
  }

  private record(value: unknown, ref: Ref | null): void {
    if (this.missing) return
    this.visit()
    if (this.refs) this.hits.push({ value, ref })
    else this.values.push(value)
  }

  /** Where a value sits, when the walk records that (a write's); null otherwise. */
  private at(parent: Container, key: Key): Ref | null {
    return this.refs ? { parent, keys: [key] } : null
  }

  private get opts(): WalkOptions {
    return this.env.opts
  }

  /** Pass a value on to the next token, or record it when `i` is the last token. */
  private emit(i: number, value: unknown, ref: Ref | null): void {
    if (this.path.isLeaf(i)) this.record(value, ref)
    else this.step(i + 1, value, ref)
  }

  private step(i: number, model: unknown, ref: Ref | null): void {
    if (this.missing) return
    this.visit()
    const token = this.tokens[i]
    switch (token?.kind) {
      case 'prop':
        return this.properties(i, token.names, model)
      case 'index':
        if (this.checkArray(i, model)) for (const index of token.indexes) this.arrayIndex(i, model, index)
        return
      case 'slice':
        if (this.checkArray(i, model)) this.slice(i, model, token.from, token.to)
        return
      case 'wildcard':
        return this.wildcard(i, model)
      case 'scan':
        return this.scan(i, model)
      case 'filter':
        return this.filter(i, token.program, model, ref)
      case 'func':
        return this.emit(i, applyFunction(token.name, model, this.operands.spend), ref)
      default:
        return
    }
  }

  /**
   * Where Jayway throws PathNotFoundException: true when the caller is to throw it; an operand walk
   * notes `missing` instead (and the caller returns).
   */
  private notFound(): boolean {
    if (!this.env.operand) return true
    this.missing = true
    return false
  }

  /** Throw only where Jayway does: on a definite path without SUPPRESS_EXCEPTIONS. */
  private strict(i: number): boolean {
    return this.path.upstreamDefinite[i] === true && !this.opts.suppress
  }

  private properties(i: number, names: string[], model: unknown): void {
    if (!isJsonObject(model)) {
      if (this.strict(i) && this.notFound()) throw new PathNotFoundError(`Expected to find an object with property ${names.join(', ')} in path ${this.path.text}`)
      return
    }
    if (names.length > 1 && this.path.isLeaf(i)) return this.mergeProperties(i, names, model)
    for (const name of names) this.property(i, name, model)
  }

  private property(i: number, name: string, model: JsonMap): void {
    if (hasValue(model, name)) {
      return this.emit(i, model[name], this.at(model, name))
    }
    const { leafToNull, suppress, requireProps } = this.opts
    if (this.path.isLeaf(i)) {
      if (leafToNull) return this.emit(i, null, this.at(model, name))
      if (suppress || !requireProps || !this.notFound()) return
      throw new PathNotFoundError(`No results for path: ${this.path.text}`)
    }
    const definiteHere = this.path.upstreamDefinite[i] === true && this.path.tokenDefinite[i] === true
    if ((!definiteHere && !requireProps) || suppress || !this.notFound()) return
    throw new PathNotFoundError(`Missing property '${name}' in path ${this.path.text}`)
  }

  private mergeProperties(i: number, names: string[], model: JsonMap): void {
    const merged: JsonMap = {}
    for (const name of names) {
      if (hasValue(model, name)) setOwn(merged, name, model[name]) // `$['__proto__','a']` of data holding the key: a key of the result
      else if (this.opts.leafToNull) merged[name] = null
      else if (this.opts.requireProps) {
        if (this.notFound()) throw new PathNotFoundError(`Missing property '${name}' in path ${this.path.text}`)
        return
      }
    }
    this.emit(i, merged, this.refs ? { parent: model, keys: names } : null)
  }

  private checkArray(i: number, model: unknown): model is unknown[] {
    if (Array.isArray(model)) return true
    if (this.strict(i) && this.notFound()) throw new PathNotFoundError(`Expected an array at ${this.path.text}, found ${model === null ? 'null' : typeof model}`)
    return false
  }

  private arrayIndex(i: number, array: unknown[], index: number): void {
    const effective = index < 0 ? array.length + index : index
    if (effective < 0 || effective >= array.length) return
    this.emit(i, array[effective], this.at(array, effective))
  }

  /**
   * Jayway ArraySliceToken, quirks included: in [from:to] Jayway loops from `from` itself, so the
   * negative indexes among them count from the end (`[-2:1]` on [1,2,3] is [2,3,1]). Indexes below
   * -length reach nothing, so the loop starts at -length at the lowest: `[-2000000000:1]` walked
   * two billion indexes (seconds, never charged) for the same [1,2,3,1]; now at most 2 × length.
   */
  private slice(i: number, array: unknown[], from: number | null, to: number | null): void {
    const length = array.length
    if (length === 0) return
    let start = from ?? 0
    let end = to ?? length
    if (from !== null && to === null) start = Math.max(0, start < 0 ? length + start : start)
    if (from === null && end < 0) end = length + end
    start = Math.max(start, -length)
    end = Math.min(length, end)
    for (let index = start; index < end; index++) this.arrayIndex(i, array, index)
  }

  private wildcard(i: number, model: unknown): void {
    if (isJsonObject(model)) {
      for (const key of Object.keys(model)) this.emit(i, model[key], this.at(model, key))
    } else if (Array.isArray(model)) {
      for (let index = 0; index < model.length; index++) {
        try {
          this.arrayIndex(i, model, index)
        } catch (err) {
          if (!(err instanceof PathNotFoundError) || this.opts.requireProps) throw err
        }
        // an operand walk's miss in one element, as the exception above, ends only that element
        if (this.missing) {
          if (this.opts.requireProps) return
          this.missing = false
        }
      }
    }
  }

  /** Jayway filters act on a map itself, and on each element of an array. */
  private filter(i: number, program: SafeProgram, model: unknown, ref: Ref | null): void {
    if (isJsonObject(model)) {
      if (runFilter(program, model, this.operands)) this.emit(i, model, ref)
    } else if (Array.isArray(model)) {
      for (const index of matchingIndexes(program, model, this.operands)) this.arrayIndex(i, model, index)
    } else if (this.path.upstreamDefinite[i] === true) {
      fail(`Filter can not be applied to primitives in path ${this.path.text}`)
    }
  }

  /** Jayway ScanPathToken: apply the following token to every matching container, depth first. */
  private scan(i: number, model: unknown): void {
    const target = i + 1
    if (target >= this.tokens.length) fail(`Path must not end with '..': ${this.path.text}`)
    this.scanWalk(target, model, null, this.scanPredicate(target))
  }

  private scanPredicate(target: number): (model: unknown) => boolean {
    const token = this.tokens[target]
    switch (token?.kind) {
      case 'prop': {
        const loose =
          this.opts.requireProps ||
          this.path.tokenDefinite[target] !== true ||
          (this.path.isLeaf(target) && this.opts.leafToNull)
        return (m) => isJsonObject(m) && (loose || token.names.every((n) => Object.hasOwn(m, n)))
      }
      case 'index':
      case 'slice':
        return Array.isArray
      case 'wildcard':
        return () => true
      case 'filter':
        return (m) => runFilter(token.program, m, this.operands)
      default:
        return () => false
    }
  }

  private scanWalk(target: number, model: unknown, ref: Ref | null, matches: (m: unknown) => boolean): void {
    this.visit()
    if (isJsonObject(model)) {
      if (matches(model)) this.step(target, model, ref)
      for (const key of Object.keys(model)) this.scanWalk(target, model[key], this.at(model, key), matches)
    } else if (Array.isArray(model)) {
      if (matches(model)) {
        if (this.path.isLeaf(target)) this.step(target, model, ref)
        // Jayway quirk: a non-leaf match on an array applies the token *after* the target to each element.
        else model.forEach((el, index) => this.step(target + 1, el, this.at(model, index)))
      }
      model.forEach((el, index) => this.scanWalk(target, el, this.at(model, index), matches))
    }
  }
}

/** Filter operands are paths too: `@…` starts at the filtered item, `$…` at the document root. */
function operandReader(env: Env): OperandReader {
  const operandEnv: Env = { ...env, operand: true }
  // a bare `@.x` is evaluated with REQUIRE_PROPERTIES, so a present null still exists
  const existsEnv: Env = { ...operandEnv, opts: { leafToNull: false, suppress: false, requireProps: true } }
  return {
    value: (path, item) => operandValue(path, item, operandEnv),
    exists: (path, item) => {
      if (!path.definite) return true
      const at = path.fromItem ? item : env.root
      if (!path.propChain) return (valuesIn(path, at, existsEnv)?.length ?? 0) > 0
      env.work.spend(OPERAND_WALK_COST, env.text)
      return chainValue(path.propChain, at, existsEnv, true) !== UNDEF
    },
    spend: (units) => env.work.spend(units, env.text),
  }
}

/**
 * The value at the end of a chain of single-name properties (`@.a.b`) as an operand walk finds it,
 * spending what it would (a unit a step and one for the value): UNDEF when a step is missing or
 * not an object; at the leaf, null for a missing name under leafToNull. Most operands are such
 * chains, and a Walker for each cost some 0.5 µs a term (200 terms an item).
 */
function chainValue(names: readonly string[], start: unknown, env: Env, exists: boolean): unknown {
  let model = start
  const work = env.work
  for (let i = 0; i < names.length; i++) {
    if (--work.left < 0) work.refuse(env.text)
    if (!isJsonObject(model)) return UNDEF
    const name = names[i]
    if (!hasValue(model, name)) return i === names.length - 1 && !exists && env.opts.leafToNull ? null : UNDEF
    model = model[name]
  }
  if (--work.left < 0) work.refuse(env.text)
  return model
}

/** A path operand: Jayway's PathNode.evaluate (missing → UNDEFINED; indefinite → list). */
function operandValue(path: CompiledPath, item: unknown, env: Env): unknown {
  if (path.propChain) {
    env.work.spend(OPERAND_WALK_COST, env.text)
    return chainValue(path.propChain, path.fromItem ? item : env.root, env, false)
  }
  const values = valuesIn(path, path.fromItem ? item : env.root, env)
  if (values === null) return UNDEF
  if (!path.definite) return values
  return values.length === 0 ? UNDEF : values.at(-1)
}
