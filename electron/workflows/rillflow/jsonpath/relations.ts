// Jayway's relational filter operators (==, <, =~, in, subsetof, …) over value nodes, with its
// type coercions and quirks. Each comparison, character scanned and element walked is spent from
// the walk's budget (work.ts): `in` and `subsetof` over large lists, or strings of megabytes,
// would otherwise cost one filter run whatever they do.

import { UNDEF, type RelOp } from './compiled'
import { fail } from './errors'
import { DECIMAL, isJsonObject } from './json'
import { FilterPattern } from './pattern'
import { charUnits, regexUnits } from './work'

/** Spends units of the walk's PathWork; throws PathBudgetError when it is used up. */
type Spend = (units: number) => void

type ValueKind = 'undefined' | 'null' | 'number' | 'string' | 'boolean' | 'json' | 'pattern'

function kindOf(value: unknown): ValueKind {
  if (value === UNDEF || value === undefined) return 'undefined'
  if (value === null) return 'null'
  if (value instanceof FilterPattern) return 'pattern'
  if (typeof value === 'number') return 'number'
  if (typeof value === 'string') return 'string'
  if (typeof value === 'boolean') return 'boolean'
  return 'json'
}

/** Units of comparing two strings (V8 compares lengths first, then the characters). */
const stringsUnits = (a: string, b: string): number => (a.length === b.length ? charUnits(a.length) : 1)

function deepEqual(a: unknown, b: unknown, spend: Spend): boolean {
  spend(typeof a === 'string' && typeof b === 'string' ? stringsUnits(a, b) : 1)
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => deepEqual(v, b[i], spend))
  if (!isJsonObject(a) || !isJsonObject(b)) return false
  const keys = Object.keys(a)
  spend(keys.length)
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k], spend))
}

/** `left.equals(right)` of Jayway's value nodes: strings and numbers cross-compare, one way each. */
function nodeEquals(left: unknown, right: unknown, spend: Spend): boolean {
  const l = kindOf(left)
  const r = kindOf(right)
  if (l === 'json' && r === 'json') return deepEqual(left, right, spend)
  // strings compare by their characters when their lengths agree; a number tests a string's syntax
  spend(l === 'string' && r === 'string' ? stringsUnits(left as string, right as string) : l === 'number' && r === 'string' ? charUnits((right as string).length) : 1)
  if (l === 'string') return r === 'string' ? left === right : r === 'number' && left === String(right)
  if (l === 'number') {
    if (r === 'number') return left === right
    return r === 'string' && DECIMAL.test(String(right)) && Number(right) === left
  }
  if (l === 'boolean' || l === 'null') return left === right
  if (left instanceof FilterPattern && right instanceof FilterPattern) return left.source === right.source
  return false
}

/** Jayway orders number/number, string/string and string/number (as text); anything else is false. */
function order(left: unknown, right: unknown, spend: Spend): number | null {
  if (typeof left === 'number' && typeof right === 'number') return left - right
  if ((typeof left !== 'string' && typeof left !== 'number') || (typeof right !== 'string' && typeof right !== 'number')) {
    return null
  }
  const a = String(left)
  const b = String(right)
  spend(charUnits(Math.min(a.length, b.length)))
  return a < b ? -1 : a > b ? 1 : 0
}

/** JsonNode.asValueListNode: arrays only; non-JSON operands cannot be lists (an error in Jayway). */
function valueList(value: unknown): unknown[] | null {
  if (kindOf(value) !== 'json') fail('Expected a JSON array operand')
  return Array.isArray(value) ? value : null
}

function regexInput(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : ''
}

function regexMatch(left: unknown, right: unknown, spend: Spend): boolean {
  const pattern = left instanceof FilterPattern ? left : right instanceof FilterPattern ? right : null
  if (!pattern || (left instanceof FilterPattern && right instanceof FilterPattern)) return false
  const subject = pattern === left ? right : left
  const matches = (v: unknown): boolean => {
    const text = regexInput(v)
    spend(regexUnits(text.length, pattern.programSize))
    return pattern.matches(text)
  }
  return Array.isArray(subject) ? subject.some(matches) : matches(subject)
}

function sizeOf(value: unknown): number {
  if (typeof value === 'string') return value.length
  if (Array.isArray(value)) return value.length
  return isJsonObject(value) ? -1 : Number.NaN
}

function isEmptyValue(value: unknown): boolean | null {
  if (typeof value === 'string') return value.length === 0
  if (Array.isArray(value)) return value.length === 0
  if (isJsonObject(value)) {
    for (const key in value) if (Object.hasOwn(value, key)) return false
    return true
  }
  return null
}

/**
 * Whether `left op right` holds, as Jayway's relational operators decide it. Spends what it
 * compares, scans and walks from `spend` (the walk's budget), which throws once it is used up.
 */
export function relate(op: RelOp, left: unknown, right: unknown, spend: Spend): boolean {
  switch (op) {
    case '==':
      return nodeEquals(left, right, spend)
    case '!=':
      return !nodeEquals(left, right, spend)
    case '===':
      return kindOf(left) === kindOf(right) && nodeEquals(left, right, spend)
    case '!==':
      return !(kindOf(left) === kindOf(right) && nodeEquals(left, right, spend))
    case '<':
    case '<=':
    case '>':
    case '>=':
      return compareWith(op, order(left, right, spend))
    case '=~':
      return regexMatch(left, right, spend)
    default:
      return relateCollections(op, left, right, spend)
  }
}

function compareWith(op: '<' | '<=' | '>' | '>=', diff: number | null): boolean {
  if (diff === null || Number.isNaN(diff)) return false
  if (op === '<') return diff < 0
  if (op === '<=') return diff <= 0
  if (op === '>') return diff > 0
  return diff >= 0
}

function relateCollections(op: RelOp, left: unknown, right: unknown, spend: Spend): boolean {
  switch (op) {
    case 'IN':
      return valueList(right)?.some((v) => nodeEquals(left, v, spend)) ?? false
    case 'NIN':
      return !(valueList(right)?.some((v) => nodeEquals(left, v, spend)) ?? false)
    case 'CONTAINS':
      if (typeof left === 'string') {
        if (typeof right !== 'string') return false
        spend(charUnits(left.length + right.length))
        return left.includes(right)
      }
      return Array.isArray(left) && left.some((v) => nodeEquals(right, v, spend))
    case 'SIZE':
      return typeof right === 'number' && sizeOf(left) === Math.trunc(right)
    case 'EMPTY':
      if (typeof right !== 'boolean') fail('Expected a boolean after empty')
      return isEmptyValue(left) === right
    case 'SUBSETOF':
    case 'ANYOF':
    case 'NONEOF':
      return relateSets(op, left, right, spend)
    case 'EXISTS':
      if (typeof left !== 'boolean' || typeof right !== 'boolean') fail('Failed to evaluate exists expression')
      return left === right
    default:
      // ALL, TYPE and MATCHES cannot get usable operands from an inline filter in Jayway either.
      return fail(`Filter operator ${op} cannot be evaluated inline`)
  }
}

function relateSets(op: 'SUBSETOF' | 'ANYOF' | 'NONEOF', left: unknown, right: unknown, spend: Spend): boolean {
  const rightList = valueList(right)
  const leftList = valueList(left)
  if (!rightList || !leftList) return false
  const inRight = (v: unknown): boolean => rightList.some((r) => nodeEquals(v, r, spend))
  if (op === 'SUBSETOF') return leftList.every(inRight)
  if (op === 'ANYOF') return leftList.some(inRight)
  return !leftList.some(inRight)
}
