// Cypher's scalar functions as TuGraph lists them (reference/tugraph.md §4.1), by lower-case name.
// Arguments arrive evaluated; null in gives null out unless Cypher says otherwise (coalesce).
import type { GraphView } from './graph-view'
import type { Budget } from './budget'
import { runtimeError } from './errors'
import { checkInt, EdgeV, isMap, isNumber, newMap, NodeV, PathV, typeName, type Value } from './values'

export interface FnContext {
  view: GraphView
  budget: Budget
}

type Fn = (args: Value[], c: FnContext) => Value

const arity = (name: string, args: Value[], min: number, max = min) => {
  if (args.length < min || args.length > max) {
    throw runtimeError(`Function ${name}() takes ${min === max ? min : `${min} to ${max}`} argument${max === 1 ? '' : 's'}, ${args.length} given.`)
  }
}

const expect = (name: string, what: string, v: Value): never => {
  throw runtimeError(`Type mismatch: ${name}() expects ${what}, got ${typeName(v)}.`)
}

const toInt = (name: string, v: Value): bigint => {
  if (typeof v === 'bigint') return v
  if (typeof v === 'number' && Number.isFinite(v)) return BigInt(Math.trunc(v))
  return expect(name, 'an Integer', v)
}

const num = (name: string, v: Value): number => (isNumber(v) ? Number(v) : expect(name, 'a number', v))
const str = (name: string, v: Value): string => (typeof v === 'string' ? v : expect(name, 'a String', v))

/** Properties of a vertex or edge (or a map as is). */
export function propertiesOf(v: Value, c: FnContext): Record<string, Value> {
  if (v instanceof NodeV) return c.view.props(v)
  if (v instanceof EdgeV) return v.props
  if (isMap(v)) return v
  return expect('properties', 'a node, relationship or map', v)
}

function fromText(v: string, asInt: boolean): Value {
  const t = v.trim()
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?)$/.test(t)) return null
  const n = Number(t)
  if (!asInt) return n
  // more than 19 digits (INT64's) never fits, and a long digit string is not worth BigInt's parse
  if (/^[+-]?\d+$/.test(t)) return checkInt(t.replace(/^[+-]?0*/, '').length > 19 ? 2n ** 64n : BigInt(t))
  return Number.isFinite(n) ? checkInt(BigInt(Math.trunc(n))) : null
}

/** Non-overlapping occurrences of `part` (not empty) in `text`, counted without building anything. */
function occurrences(text: string, part: string): number {
  let n = 0
  for (let at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length)) n++
  return n
}

/** Unicode code points of a string (size() counts these), counted without building an array. */
function codePoints(text: string): number {
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i)
    if (u >= 0xd800 && u <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--
      i++
    }
  }
  return n
}

/** A string a function built, within the value budget. */
function built(text: string, what: string, c: FnContext): string {
  c.budget.values.string(text.length, what)
  return text
}

const FUNCTIONS: Record<string, Fn> = {
  id: ([v]) => (v === null ? null : v instanceof NodeV ? BigInt(v.vid) : v instanceof EdgeV ? BigInt(v.eid) : expect('id', 'a node or relationship', v)),
  euid: ([v]) => (v === null ? null : v instanceof EdgeV ? v.key : expect('euid', 'a relationship', v)),
  labels: ([v]) => (v === null ? null : v instanceof NodeV ? [v.label.name] : expect('labels', 'a node', v)),
  label: ([v]) => (v === null ? null : v instanceof NodeV || v instanceof EdgeV ? v.label.name : expect('label', 'a node or relationship', v)),
  type: ([v]) => (v === null ? null : v instanceof EdgeV ? v.label.name : expect('type', 'a relationship', v)),
  properties: ([v], c) => {
    if (v === null) return null
    const m = newMap()
    Object.assign(m, propertiesOf(v, c))
    return m
  },
  keys: ([v], c) => (v === null ? null : Object.keys(propertiesOf(v, c))),
  startnode: ([v], c) => (v === null ? null : v instanceof EdgeV ? c.view.node(v.src) : expect('startNode', 'a relationship', v)),
  endnode: ([v], c) => (v === null ? null : v instanceof EdgeV ? c.view.node(v.dst) : expect('endNode', 'a relationship', v)),
  nodes: ([v]) => (v === null ? null : v instanceof PathV ? [...v.nodes] : expect('nodes', 'a path', v)),
  relationships: ([v]) => (v === null ? null : v instanceof PathV ? [...v.edges] : expect('relationships', 'a path', v)),
  length: ([v]) => {
    if (v === null) return null
    if (v instanceof PathV) return BigInt(v.edges.length)
    if (typeof v === 'string' || Array.isArray(v)) return BigInt(v.length)
    return expect('length', 'a path', v)
  },
  size: ([v]) => {
    if (v === null) return null
    if (typeof v === 'string') return BigInt(codePoints(v))
    if (Array.isArray(v)) return BigInt(v.length)
    return expect('size', 'a list or a string', v)
  },
  head: ([v]) => (v === null ? null : Array.isArray(v) ? (v[0] ?? null) : expect('head', 'a list', v)),
  last: ([v]) => (v === null ? null : Array.isArray(v) ? (v[v.length - 1] ?? null) : expect('last', 'a list', v)),
  tail: ([v]) => (v === null ? null : Array.isArray(v) ? v.slice(1) : expect('tail', 'a list', v)),
  reverse: ([v]) => (v === null ? null : Array.isArray(v) ? [...v].reverse() : typeof v === 'string' ? [...v].reverse().join('') : expect('reverse', 'a list or a string', v)),
  coalesce: (args) => args.find((a) => a !== null) ?? null,
  tointeger: ([v]) => {
    if (v === null) return null
    if (typeof v === 'bigint') return v
    if (typeof v === 'number') return Number.isFinite(v) ? checkInt(BigInt(Math.trunc(v))) : null
    if (typeof v === 'boolean') return v ? 1n : 0n
    if (typeof v === 'string') return fromText(v, true)
    return expect('toInteger', 'a number, boolean or string', v)
  },
  tofloat: ([v]) => {
    if (v === null) return null
    if (isNumber(v)) return Number(v)
    if (typeof v === 'string') return fromText(v, false)
    return expect('toFloat', 'a number or string', v)
  },
  toboolean: ([v]) => {
    if (v === null || typeof v === 'boolean') return v
    if (typeof v === 'string') return v.trim().toLowerCase() === 'true' ? true : v.trim().toLowerCase() === 'false' ? false : null
    if (typeof v === 'bigint') return v !== 0n
    return expect('toBoolean', 'a boolean, integer or string', v)
  },
  tostring: ([v]) => {
    if (v === null) return null
    if (typeof v === 'string') return v
    if (typeof v === 'bigint' || typeof v === 'boolean') return String(v)
    if (typeof v === 'number') return Number.isInteger(v) ? `${v}.0` : String(v)
    return expect('toString', 'a number, boolean or string', v)
  },
  abs: ([v]) => (v === null ? null : typeof v === 'bigint' ? checkInt(v < 0n ? -v : v) : Math.abs(num('abs', v))),
  ceil: ([v]) => (v === null ? null : Math.ceil(num('ceil', v))),
  floor: ([v]) => (v === null ? null : Math.floor(num('floor', v))),
  round: ([v, p]) => {
    if (v === null) return null
    const x = num('round', v)
    if (p === undefined || p === null) return Math.sign(x) * Math.round(Math.abs(x))
    const f = 10 ** Number(toInt('round', p))
    return Math.sign(x) * (Math.round(Math.abs(x) * f) / f)
  },
  sign: ([v]) => (v === null ? null : typeof v === 'bigint' ? BigInt(v > 0n ? 1 : v < 0n ? -1 : 0) : BigInt(Math.sign(num('sign', v)))),
  sqrt: ([v]) => (v === null ? null : Math.sqrt(num('sqrt', v))),
  exp: ([v]) => (v === null ? null : Math.exp(num('exp', v))),
  log: ([v]) => (v === null ? null : Math.log(num('log', v))),
  log10: ([v]) => (v === null ? null : Math.log10(num('log10', v))),
  sin: ([v]) => (v === null ? null : Math.sin(num('sin', v))),
  cos: ([v]) => (v === null ? null : Math.cos(num('cos', v))),
  tan: ([v]) => (v === null ? null : Math.tan(num('tan', v))),
  pi: () => Math.PI,
  e: () => Math.E,
  rand: () => Math.random(),
  range: ([a, b, s], c) => {
    if (a === null || b === null) return null
    const from = toInt('range', a)
    const to = toInt('range', b)
    const step = s === undefined || s === null ? 1n : toInt('range', s)
    if (step === 0n) throw runtimeError('range() step cannot be 0.')
    const count = (to - from) / step + 1n
    c.budget.values.list(count > 0n ? count : 0, 'range()') // the exact count: past 2^53 too, a message names it as it is
    const out: Value[] = []
    // a list of a million is built in tens of milliseconds, seconds on a loaded machine: a stop is checked while building
    for (let i = from, n = 1; step > 0n ? i <= to : i >= to; i += step, n++) {
      out.push(i)
      if ((n & 8191) === 0) c.budget.check()
    }
    return c.budget.values.seal(out, 'range()')
  },
  substring: ([s, start, len]) => {
    if (s === null) return null
    const text = str('substring', s)
    const from = Number(toInt('substring', start))
    if (from < 0) throw runtimeError('substring() start must not be negative.')
    if (len === undefined || len === null) return text.slice(from)
    const n = Number(toInt('substring', len))
    if (n < 0) throw runtimeError('substring() length must not be negative.')
    return text.slice(from, from + n)
  },
  left: ([s, n]) => (s === null ? null : str('left', s).slice(0, Number(toInt('left', n)))),
  right: ([s, n]) => {
    if (s === null) return null
    const k = Number(toInt('right', n))
    return k === 0 ? '' : str('right', s).slice(-k)
  },
  // a few characters grow in upper case ('ß' → 'SS'): the result is checked
  toupper: ([s], c) => (s === null ? null : built(str('toUpper', s).toUpperCase(), 'toUpper()', c)),
  tolower: ([s], c) => (s === null ? null : built(str('toLower', s).toLowerCase(), 'toLower()', c)),
  upper: ([s], c) => (s === null ? null : built(str('upper', s).toUpperCase(), 'upper()', c)),
  lower: ([s], c) => (s === null ? null : built(str('lower', s).toLowerCase(), 'lower()', c)),
  trim: ([s]) => (s === null ? null : str('trim', s).trim()),
  ltrim: ([s]) => (s === null ? null : str('lTrim', s).trimStart()),
  rtrim: ([s]) => (s === null ? null : str('rTrim', s).trimEnd()),
  replace: ([s, a, b], c) => {
    if (s === null || a === null || b === null) return null
    const text = str('replace', s)
    const from = str('replace', a)
    const to = str('replace', b)
    // the result's length is known before it is built
    if (from === '') {
      c.budget.values.list(text.length, 'replace() of an empty search string')
      c.budget.values.string(text.length + Math.max(0, text.length - 1) * to.length, 'replace()')
      return text.split('').join(to)
    }
    c.budget.values.string(text.length + occurrences(text, from) * (to.length - from.length), 'replace()')
    return text.replaceAll(from, () => to)
  },
  split: ([s, d], c) => {
    if (s === null || d === null) return null
    const text = str('split', s)
    const by = str('split', d)
    // the pieces are counted before the list is built
    c.budget.values.list(by === '' ? text.length : occurrences(text, by) + 1, 'split()')
    return text.split(by)
  },
  concat: (args, c) => {
    if (args.some((a) => a === null)) return null
    const parts = args.map((a) => (typeof a === 'string' ? a : String(a)))
    c.budget.values.string(parts.reduce((n, p) => n + p.length, 0), 'concat()')
    return parts.join('')
  },
  exists: ([v]) => v !== null,
  timestamp: () => BigInt(Date.now()),
}

const ALIASES: Record<string, string> = { 'tolist': 'tolist' }
void ALIASES

/** The function named `name` (any case), or undefined. */
export function scalarFunction(name: string): Fn | undefined {
  const key = name.toLowerCase()
  return Object.prototype.hasOwnProperty.call(FUNCTIONS, key) ? FUNCTIONS[key] : undefined
}

export const AGGREGATES = new Set(['count', 'sum', 'avg', 'min', 'max', 'collect', 'stdev', 'stdevp', 'variance', 'variancep', 'percentilecont', 'percentiledisc'])

export const isAggregate = (name: string): boolean => AGGREGATES.has(name.toLowerCase())

export { arity }
