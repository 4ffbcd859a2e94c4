// Runtime values of the Aviator interpreter: the long/double distinction, Java-style string
// conversion, equality, ordering and arithmetic, and the only ways scripts read and write host data.

import { AviatorError, type SourcePosition as Pos } from './lexer'
import { isPrototypeKey } from '../safe-keys'

/** Aviator distinguishes long from double; JS cannot for integral values, so doubles are boxed while evaluating. */
export class Dbl {
  constructor(readonly v: number) {}
}
/** Lazy range so `for i in range(0, 1e8)` costs budget per iteration instead of allocating. */
export class Range {
  constructor(readonly start: number, readonly end: number, readonly step: number) {}
  get size(): number {
    return Math.max(0, Math.ceil((this.end - this.start) / this.step))
  }
}

/** Deepest nesting accepted in script syntax and in values, so recursion cannot overflow the JS stack. */
export const MAX_NESTING = 200
/**
 * Deepest syntax tree a script may parse to, counting chains as well as brackets: each operator of
 * `1+1+…`, each `.b` of `a.b.c…` and each `[i]` of `a[0][0]…` is a level of the left-deep tree the
 * interpreter walks recursively. Its walk ran out of JS stack at 8,000–12,000 levels on the main
 * thread (measured); this leaves room for callers deeper in the stack.
 */
export const MAX_TREE_DEPTH = 2000
/** Longest string a script may make, in characters. */
export const MAX_STRING = 1 << 22

/** Characters a step of text scans or makes (textSteps). */
const CHARS_PER_STEP = 32

/**
 * Steps of scanning or making `length` characters: one per 32. V8 scans at worst some 6 ns a
 * character (`indexOf('ab')` in "aaa…"), so a step of text costs about what a statement does
 * (100,000 steps, 10-40 ms), and a pass's steps scan at most 3.2 M characters, some 20 ms: at
 * one per 64 the three 2 MB searches a pass ran, with the request's own 2 MB, kept a status
 * probe waiting 180-290 ms at a load of 6. Short strings cost nothing on top of their call's step.
 */
export const textSteps = (length: number): number => Math.floor(length / CHARS_PER_STEP)

/**
 * Bytes a run may make in values, counted as they are made (madeText, and the interpreter for lists
 * and maps): 2 a character of text made (a concatenation, a join, a substring, a split), 16 an
 * element of a list or map made or added. Counted when made, not when dropped: a run's garbage
 * counts too, so this bounds the heap a script can take whatever it keeps (2,000 kept 4 MB
 * concatenations took node's 4 GB heap and ended the process). A run over it fails with an
 * AviatorError naming the limit (made by RunMeter.make).
 */
export const MAX_MADE_BYTES = 32 << 20
/** What MAX_MADE_BYTES counts for one character of text and one list or map element. */
export const MADE_BYTES = { char: 2, element: 16 } as const

/**
 * What the script being run spends, set by the interpreter for the length of one run: its step
 * budget (`charge`) and what it makes (`make`, bytes as MAX_MADE_BYTES counts them). Converting or
 * comparing values walks them, and a value built by aliasing (`seq.list(a, a)` thirty times) is
 * small in memory but exponential to walk: every list or map visited costs steps (one, plus one
 * per 16 elements), so such a walk ends with the budget instead of freezing the host.
 */
export interface RunMeter {
  /** Spends `n` steps; throws AviatorError once the budget is used up. */
  charge(n: number, pos?: Pos): void
  /** Counts `bytes` made; throws AviatorError once the run made more than MAX_MADE_BYTES. */
  make(bytes: number, pos?: Pos): void
}
let meter: RunMeter | null = null

/** Runs `fn` with every value walk and every text made charged to `runMeter`. */
export function withRunMeter<T>(runMeter: RunMeter, fn: () => T): T {
  const outer = meter
  meter = runMeter
  try {
    return fn()
  } finally {
    meter = outer
  }
}

function chargeWalk(size: number): void {
  meter?.charge(1 + (size >> 4))
}

/** Charges the run for scanning `length` characters (textSteps). */
function chargeText(length: number): void {
  if (length >= CHARS_PER_STEP) meter?.charge(textSteps(length))
}

/**
 * Charges the run for making a string of `length` characters, before it is made: its steps
 * (textSteps, as Java copies what it concatenates; V8 makes a rope at once but copies it whole the
 * first time it is compared or searched) and its bytes (MAX_MADE_BYTES). Throws AviatorError
 * ("String result too large") past MAX_STRING, or when a budget is used up.
 */
export function madeText(length: number, pos?: Pos): void {
  if (length > MAX_STRING) throw new AviatorError('String result too large', pos)
  if (length >= CHARS_PER_STEP) meter?.charge(textSteps(length), pos)
  meter?.make(length * MADE_BYTES.char, pos)
}

export interface Num {
  n: number
  dbl: boolean
}
export function num(v: unknown): Num | undefined {
  if (v instanceof Dbl) return { n: v.v, dbl: true }
  return typeof v === 'number' ? { n: v, dbl: !Number.isInteger(v) } : undefined
}
export function mkNum(n: number, dbl: boolean): number | Dbl {
  return dbl ? new Dbl(n) : n === 0 ? 0 : n // Java longs have no -0
}
export function isPlainObject(v: unknown): v is Record<string, unknown> {
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
  if (isPrototypeKey(key)) return undefined
  const d = Object.getOwnPropertyDescriptor(obj, key)
  return d && d.enumerable && 'value' in d ? d : undefined
}
export function hasOwn(obj: object, key: string): boolean {
  return dataDescriptor(obj, key) !== undefined
}
export function own(obj: object, key: string): unknown {
  return normalize(dataDescriptor(obj, key)?.value)
}
export function ownKeys(obj: object): string[] {
  return Object.keys(obj).filter((k) => hasOwn(obj, k))
}
/** The only way scripts read host data: own enumerable keys of plain objects, integer indices of arrays. */
export function readKey(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj)) {
    const i = num(key)
    return i && !i.dbl && i.n >= 0 && i.n < obj.length ? own(obj, String(i.n)) : null
  }
  if (!isPlainObject(obj)) return null
  const k = keyOf(key)
  return own(obj, k)
}
/** A value as a map key; a long key is charged as text (a lookup hashes it, a new one each time it is made). */
export function keyOf(key: unknown): string {
  const k = typeof key === 'string' ? key : javaString(key)
  chargeText(k.length)
  return k
}
/** Writes into a list slot or map key; refuses prototype-related keys so scripts cannot pollute prototypes. */
export function writeKey(coll: unknown, key: unknown, value: unknown, pos: Pos): unknown {
  if (Array.isArray(coll)) {
    const i = num(key)
    if (!i || i.dbl || i.n < 0 || i.n >= coll.length) throw new AviatorError(`Index ${javaString(key)} out of bounds`, pos)
    const prev = own(coll, String(i.n))
    coll[i.n] = value
    return prev
  }
  const k = keyOf(key)
  if (!isPlainObject(coll)) throw new AviatorError(`Cannot set '${k}' on ${typeName(coll)}`, pos)
  if (isPrototypeKey(k)) throw new AviatorError(`Forbidden key '${k}'`, pos)
  const prev = own(coll, k)
  coll[k] = value
  return prev
}
export function typeName(v: unknown): string {
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
export function javaString(v: unknown, depth = 0): string {
  if (depth > MAX_NESTING) throw new AviatorError('Value is nested too deeply')
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (v instanceof Dbl) return formatDouble(v.v)
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatDouble(v)
  if (Array.isArray(v)) {
    chargeWalk(v.length)
    return `[${joinChecked(v.map((x) => javaString(x, depth + 1)))}]`
  }
  if (v instanceof Range) return `range(${v.start}, ${v.end})`
  if (isPlainObject(v)) {
    const keys = ownKeys(v)
    chargeWalk(keys.length)
    return `{${joinChecked(keys.map((k) => `${k}=${javaString(own(v, k), depth + 1)}`))}}`
  }
  return `<${typeof v}>`
}

/**
 * `parts` joined with `sep`, charged as text made (madeText) before it is made: a list holding one
 * 2 MB string 200 times would join to 400 MB.
 */
export function joinChecked(parts: string[], sep = ', ', pos?: Pos): string {
  let length = parts.length > 1 ? sep.length * (parts.length - 1) : 0
  for (const part of parts) length += part.length
  madeText(length, pos)
  return parts.join(sep)
}
export function checkedString(s: string, pos?: Pos): string {
  if (s.length > MAX_STRING) throw new AviatorError('String result too large', pos)
  return s
}
export function equals(a: unknown, b: unknown, depth = 0): boolean {
  if (depth > MAX_NESTING) throw new AviatorError('Value is nested too deeply')
  const na = num(a)
  const nb = num(b)
  if (na || nb) return !!na && !!nb && na.n === nb.n
  // strings of one length compare by their characters
  if (typeof a === 'string' && typeof b === 'string' && a.length === b.length) chargeText(a.length)
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) {
    chargeWalk(a.length)
    return a.length === b.length && a.every((x, i) => equals(x, b[i], depth + 1))
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = ownKeys(a)
    chargeWalk(ka.length)
    return ka.length === ownKeys(b).length && ka.every((k) => hasOwn(b, k) && equals(own(a, k), own(b, k), depth + 1))
  }
  return false
}
/** Aviator ordering: nil sorts below everything; only number/number, string/string, bool/bool compare. */
export function compare(a: unknown, b: unknown, pos?: Pos): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1
  const na = num(a)
  const nb = num(b)
  if (na && nb) return Math.sign(na.n - nb.n)
  if (typeof a === 'string' && typeof b === 'string') {
    chargeText(Math.min(a.length, b.length))
    return a < b ? -1 : a > b ? 1 : 0
  }
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b)
  throw new AviatorError(`Cannot compare ${typeName(a)} with ${typeName(b)}`, pos)
}
export function arithmetic(op: string, a: unknown, b: unknown, pos: Pos): unknown {
  if (op === '+' && (typeof a === 'string' || typeof b === 'string')) {
    const sa = javaString(a)
    const sb = javaString(b)
    madeText(sa.length + sb.length, pos)
    return sa + sb
  }
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
