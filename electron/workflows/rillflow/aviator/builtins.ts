// Built-in functions of the Aviator subset. Scripts can call nothing else, so the parser checks
// names and arities against this table at compile time. A call costs one step (its node), and what
// it scans or makes costs more: list elements and map keys one step each, text one step per 32
// characters (values.ts textSteps), charged before the work where its size is known, so a search of
// a 2 MB string costs some 62,500 steps, not one. What it makes (text, list and map elements) also
// counts against the run's MAX_MADE_BYTES (values.ts).

import { AviatorError, type SourcePosition as Pos } from './lexer'
import {
  checkedString, compare, Dbl, equals, hasOwn, isPlainObject, javaString, joinChecked, keyOf, madeText, mkNum, num, own,
  ownKeys, Range, readKey, textSteps, typeName, writeKey, MADE_BYTES, type Num, type RunMeter,
} from './values'

/** What built-ins need from the running interpreter: its RunMeter (steps, bytes made) and more. */
export interface BuiltinContext extends RunMeter {
  readonly random: () => number
  /** Counts `n` list or map elements made or added against MAX_MADE_BYTES (values.ts), throwing AviatorError past it. */
  makeElements(n: number, pos?: Pos): void
  /** Unboxes a value for storing in a collection or returning to the host. */
  plain(v: unknown): unknown
  /** Marks a list or map as made by the script, so the script may change it; returns it. */
  own<T extends object>(value: T): T
  /** Throws AviatorError unless the script may change `coll` (it made it, or it is a copy it was given). */
  mutable(coll: unknown, pos: Pos): void
}

type BuiltinFn = (args: unknown[], ctx: BuiltinContext, pos: Pos) => unknown
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
function items(v: unknown, ctx: BuiltinContext, pos: Pos): unknown[] {
  const list = v === null ? [] : ctx.plain(v)
  if (!Array.isArray(list)) throw new AviatorError(`Expected a list but got ${typeName(v)}`, pos)
  ctx.charge(list.length, pos)
  return Array.from({ length: list.length }, (_, i) => own(list, String(i)))
}
function count(v: unknown, ctx: BuiltinContext, pos: Pos): number {
  if (v === null) return 0
  if (typeof v === 'string' || Array.isArray(v)) return v.length
  if (v instanceof Range) return v.size
  if (isPlainObject(v)) return mapKeys(v, ctx, pos).length
  throw new AviatorError(`count cannot be applied to ${typeName(v)}`, pos)
}
/** A map's own keys, one step each (reading each key's descriptor is the work). */
function mapKeys(v: Record<string, unknown>, ctx: BuiltinContext, pos: Pos): string[] {
  const keys = ownKeys(v)
  ctx.charge(keys.length, pos)
  return keys
}
/** A string argument charged by its length: for built-ins that scan it whole. */
function scanned(s: string, ctx: BuiltinContext, pos: Pos): string {
  ctx.charge(textSteps(s.length), pos)
  return s
}
/** A value as an error message shows it: a string of megabytes made the message (and the job's log) as long. */
function preview(v: unknown): string {
  const text = javaString(v)
  return text.length > 100 ? `${text.slice(0, 100)}… (${text.length} characters)` : text
}
function toLong(v: unknown, ctx: BuiltinContext, pos: Pos): number {
  if (typeof v === 'string') scanned(v, ctx, pos)
  const n = num(v) ?? (typeof v === 'string' && v.trim() !== '' ? num(Number(v)) : undefined)
  if (!n || !Number.isFinite(n.n)) throw new AviatorError(`Cannot convert ${preview(v)} to long`, pos)
  return Math.trunc(n.n)
}
function toDouble(v: unknown, ctx: BuiltinContext, pos: Pos): Dbl {
  if (typeof v === 'string') scanned(v, ctx, pos)
  const n = num(v) ?? (typeof v === 'string' && v.trim() !== '' ? num(Number(v)) : undefined)
  if (!n || Number.isNaN(n.n)) throw new AviatorError(`Cannot convert ${preview(v)} to double`, pos)
  return new Dbl(n.n)
}
function randInt(bound: number, random: () => number, pos: Pos): number {
  if (bound <= 0) throw new AviatorError('rand bound must be positive', pos)
  return Math.max(0, Math.min(bound - 1, Math.floor(random() * bound))) // clamp a misbehaving injected random
}
/**
 * Java String.split without regex (user regexes risk ReDoS): literal or backslash-escaped single-char
 * separators only. Charges the scan of `s`, and each part as it is cut (so `"a,".repeat(2e6)` stops
 * at the budget, not after making two million strings).
 */
function split(s: string, sep: string, ctx: BuiltinContext, pos: Pos): string[] {
  const literal = /^\\[^A-Za-z0-9]$/.test(sep) ? sep[1] : sep
  if (literal === sep && /[.$|()[\]{}^?*+\\]/.test(sep)) throw new AviatorError(`Regex separator '${sep}' is not supported`, pos)
  scanned(s, ctx, pos)
  let parts: string[]
  if (literal === '') {
    ctx.charge(s.length, pos) // one part per character
    parts = s.split('')
  } else {
    parts = []
    for (let from = 0; ; ) {
      const at = s.indexOf(literal, from)
      ctx.charge(1, pos)
      parts.push(s.slice(from, at < 0 ? s.length : at))
      if (at < 0) break
      from = at + literal.length
    }
  }
  if (parts.length > 1) while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop() // Java drops trailing empties
  ctx.makeElements(parts.length, pos)
  ctx.make(s.length * MADE_BYTES.char, pos)
  return parts
}
function substring(s: string, begin: number, end: number, pos: Pos): string {
  if (begin < 0 || end > s.length || begin > end) throw new AviatorError(`substring range [${begin}, ${end}) out of bounds`, pos)
  madeText(end - begin, pos)
  return s.slice(begin, end)
}
function seqAdd(a: unknown[], ctx: BuiltinContext, pos: Pos): unknown {
  const [coll, x, y] = a
  ctx.mutable(coll, pos)
  ctx.makeElements(1, pos)
  if (Array.isArray(coll) && a.length === 2) coll.push(ctx.plain(x))
  else if (isPlainObject(coll) && a.length === 3) writeKey(coll, x, ctx.plain(y), pos)
  else throw new AviatorError(`seq.add cannot add ${a.length - 1} value(s) to ${typeName(coll)}`, pos)
  return coll
}
function seqMap(a: unknown[], ctx: BuiltinContext, pos: Pos): unknown {
  if (a.length % 2 !== 0) throw new AviatorError('seq.map expects key/value pairs', pos)
  ctx.makeElements(a.length / 2, pos)
  const map: Record<string, unknown> = ctx.own({})
  for (let i = 0; i < a.length; i += 2) writeKey(map, a[i], ctx.plain(a[i + 1]), pos)
  return map
}
function seqRemove(a: unknown[], ctx: BuiltinContext, pos: Pos): unknown {
  const [coll, x] = a
  ctx.mutable(coll, pos)
  if (Array.isArray(coll)) {
    ctx.charge(coll.length, pos)
    const i = Array.from({ length: coll.length }, (_, k) => own(coll, String(k))).findIndex((v) => equals(v, x))
    if (i >= 0) coll.splice(i, 1)
  } else if (isPlainObject(coll)) {
    if (hasOwn(coll, keyOf(x))) delete coll[keyOf(x)]
  } else if (coll !== null) throw new AviatorError(`seq.remove cannot remove from ${typeName(coll)}`, pos)
  return coll
}
function mapPart(v: unknown, part: 'keys' | 'vals', ctx: BuiltinContext, pos: Pos): unknown[] {
  if (v === null) return []
  if (!isPlainObject(v)) throw new AviatorError(`seq.${part} expects a map but got ${typeName(v)}`, pos)
  const keys = mapKeys(v, ctx, pos)
  ctx.makeElements(keys.length, pos)
  return ctx.own(part === 'keys' ? keys : keys.map((k) => own(v, k)))
}
const extreme = (sign: number): BuiltinFn => (a, _ctx, pos) => a.reduce((best, x) => (compare(x, best, pos) * sign > 0 ? x : best))
const mathDouble = (name: string, f: (...n: number[]) => number, arity = 1): [string, Builtin] =>
  [`math.${name}`, builtin(arity, arity, (a, _ctx, pos) => new Dbl(f(...a.map((x) => needNum(x, `math.${name}`, pos).n))))]
const mathLong = (name: string, f: (n: number) => number): [string, Builtin] =>
  [`math.${name}`, builtin(1, 1, (a, _ctx, pos) => f(needNum(a[0], `math.${name}`, pos).n))]
/**
 * `string.<name>(s, t)`, charged by what it may scan: all of `s` and `t` for a search, `t`'s length
 * for a prefix or suffix test (`scansAll` false).
 */
const stringPair = (name: string, scansAll: boolean, f: (s: string, t: string) => unknown): [string, Builtin] =>
  [`string.${name}`, builtin(2, 2, (a, ctx, pos) => {
    const s = needStr(a[0], `string.${name}`, pos)
    const t = needStr(a[1], `string.${name}`, pos)
    ctx.charge(textSteps(scansAll ? s.length + t.length : Math.min(s.length, t.length)), pos)
    return f(s, t)
  })]

/**
 * The built-ins that change a list or map they are given (each asks BuiltinContext.mutable first): a
 * script that calls none of them and assigns into no list or map changes nothing it was given
 * (interpreter.ts changesValues), so it needs no copies of its env (AviatorOptions.copyEnv). A
 * changing built-in missing here is refused on a value not copied (mutable), never let through.
 */
export const CHANGING_BUILTINS: ReadonlySet<string> = new Set(['seq.add', 'seq.put', 'seq.remove'])

export const BUILTINS = new Map<string, Builtin>([
  ['rand', builtin(0, 1, (a, ctx, pos) => (a.length === 0 ? new Dbl(ctx.random()) : randInt(needLong(a[0], 'rand', pos), ctx.random, pos)))],
  ['str', builtin(1, 1, (a, _ctx, pos) => checkedString(javaString(a[0]), pos))],
  ['long', builtin(1, 1, (a, ctx, pos) => toLong(a[0], ctx, pos))],
  ['double', builtin(1, 1, (a, ctx, pos) => toDouble(a[0], ctx, pos))],
  ['count', builtin(1, 1, (a, ctx, pos) => count(a[0], ctx, pos))],
  ['is_empty', builtin(1, 1, (a, ctx, pos) => count(a[0], ctx, pos) === 0)],
  ['include', builtin(2, 2, (a, ctx, pos) => items(a[0], ctx, pos).some((x) => equals(x, a[1])))],
  ['min', builtin(1, Infinity, extreme(-1))],
  ['max', builtin(1, Infinity, extreme(1))],
  ['range', builtin(2, 3, (a, _ctx, pos) => {
    const [start, end, step = 1] = a.map((x) => needLong(x, 'range', pos))
    if (step === 0) throw new AviatorError('range step must not be 0', pos)
    return new Range(start, end, step)
  })],
  ['seq.list', builtin(0, Infinity, (a, ctx, pos) => {
    ctx.makeElements(a.length, pos)
    return ctx.own(a.map((x) => ctx.plain(x)))
  })],
  ['seq.map', builtin(0, Infinity, seqMap)],
  ['seq.add', builtin(2, 3, seqAdd)],
  ['seq.put', builtin(3, 3, (a, ctx, pos) => {
    ctx.mutable(a[0], pos)
    ctx.makeElements(1, pos)
    return writeKey(a[0], a[1], ctx.plain(a[2]), pos)
  })],
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
  stringPair('contains', true, (s, t) => s.includes(t)),
  stringPair('startsWith', false, (s, t) => s.startsWith(t)),
  stringPair('endsWith', false, (s, t) => s.endsWith(t)),
  stringPair('indexOf', true, (s, t) => s.indexOf(t)),
  ['string.split', builtin(2, 2, (a, ctx, pos) => {
    return ctx.own(split(needStr(a[0], 'string.split', pos), needStr(a[1], 'string.split', pos), ctx, pos))
  })],
  ['string.join', builtin(1, 2, (a, ctx, pos) => {
    const sep = a.length > 1 ? needStr(a[1], 'string.join', pos) : ''
    return joinChecked(items(a[0], ctx, pos).map((x) => javaString(x)), sep, pos)
  })],
  ['string.substring', builtin(2, 3, (a, _ctx, pos) => {
    const s = needStr(a[0], 'string.substring', pos)
    const end = a.length > 2 ? needLong(a[2], 'string.substring', pos) : s.length
    return substring(s, needLong(a[1], 'string.substring', pos), end, pos)
  })]
])
