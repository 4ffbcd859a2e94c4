// `${name}`, `${name op operand}` and `&{pattern%step}` substitution in script code, as Linkis's
// entrance does before a job runs (VariableUtils.replace, CustomVariableUtils.replaceCustomVar).

import type { ScriptLanguage } from '../../../shared/api'
import { AppError } from '../../../shared/errors'
import { DATE_VARIABLES, findReferences, REFERENCE, refusesUnknown, setDefinitions, USER_VARIABLES, VARIABLE_NAME, variableText, type VariableReference } from '../../../shared/script-variables'
import { addDays, civilOf, parseCompact, type Civil } from './civil-date'
import { evaluatePlaceholder, PLACEHOLDER } from './date-pattern'
import { dateVariables, type SteppedValue } from './date-variables'
import { calculate, formatDecimal, parseDecimal, parseOperand, type Decimal } from './decimal'

export interface VariableContext {
  language: ScriptLanguage
  /** The job's variables (native `variables`, Linkis `params.variable`, the Scripts page's rows). */
  variables?: Record<string, unknown>
  /** Whom the job runs as (`${user}`, `${execute_user}`) and who submitted it (`${submit_user}`). */
  executeUser: string
  submitUser: string
  now?: Date
}

export interface Substitution {
  code: string
  /** Each distinct expression and its value, for the job's log (`${run_date-1}` = 20240101). */
  expressions: { text: string; value: string }[]
  /** Variables the job set that the server's own values replaced. */
  warnings: string[]
}

type Value = { kind: 'string'; text: string } | { kind: 'number'; n: Decimal } | { kind: 'date'; d: SteppedValue }

const textOf = (v: Value) => (v.kind === 'string' ? v.text : v.kind === 'number' ? formatDecimal(v.n) : v.d.value)

const bad = (code: string, message: string, line?: number) => new AppError('invalid', code, message, { field: 'code', line })

/** A job's own value: a decimal literal becomes a number (`+ - * /`), anything else a string (`+` joins). */
const own = (text: string): Value => {
  const n = parseDecimal(text)
  return n ? { kind: 'number', n } : { kind: 'string', text }
}

const DERIVED = new Set<string>(DATE_VARIABLES.filter((n) => !['run_date', 'run_today_h', 'run_today_hour'].includes(n)))

/** The values a job sees: its script's `@set` lines, then its variables, then the built-ins (Linkis's scope order). */
function resolveValues(code: string, ctx: VariableContext): { values: Map<string, Value>; runDate: Civil; warnings: string[] } {
  const warnings: string[] = []
  const given = new Map<string, string>()
  for (const [k, v] of Object.entries(setDefinitions(code, ctx.language))) given.set(k, v)
  for (const [k, v] of Object.entries(ctx.variables ?? {})) {
    const text = variableText(v)
    if (text === undefined || given.has(k)) continue
    if (!VARIABLE_NAME.test(k)) throw new AppError('invalid', 'bad_variable_name', `variable name "${k}" must start with a letter or _ and hold only letters, digits, _ and .`, { field: `variables.${k}` })
    given.set(k, text)
  }
  const now = civilOf(ctx.now ?? new Date())
  const dayOf = (c: Civil) => new Date(Date.UTC(c.getUTCFullYear(), c.getUTCMonth(), c.getUTCDate()))
  const settable = (name: string, withHour: boolean, fallback: Civil): Civil => {
    const text = given.get(name)
    if (text === undefined || text === '') return fallback
    const parsed = parseCompact(text, withHour)
    if (!parsed) throw new AppError('invalid', 'bad_variable', `${name} must be a date written ${withHour ? 'yyyyMMddHH' : 'yyyyMMdd'}, not "${text}"`, { field: `variables.${name}` })
    return parsed
  }
  const runDate = settable('run_date', false, addDays(dayOf(now), -1))
  const atHour = new Date(addDays(runDate, 1).getTime() + now.getUTCHours() * 3_600_000)
  const dates = dateVariables(runDate, settable('run_today_h', true, atHour), settable('run_today_hour', true, atHour))

  const values = new Map<string, Value>()
  for (const [k, v] of given) {
    if (DERIVED.has(k) || (USER_VARIABLES as readonly string[]).includes(k)) {
      warnings.push(`variable ${k} is set by JobDesk and cannot be given: "${v}" was ignored${DERIVED.has(k) ? ' (set run_date to move the date variables)' : ''}`)
    } else if (!(k in dates)) values.set(k, own(v))
  }
  for (const [k, d] of Object.entries(dates)) values.set(k, { kind: 'date', d })
  values.set('user', { kind: 'string', text: ctx.executeUser })
  values.set('execute_user', { kind: 'string', text: ctx.executeUser })
  values.set('submit_user', { kind: 'string', text: ctx.submitUser })
  return { values, runDate, warnings }
}

/** `${name op operand}`: dates step by whole units, numbers take + - * /, strings join with +. */
function evaluate(ref: VariableReference, v: Value, values: Map<string, Value>): string {
  if (!ref.op) return textOf(v)
  const operandValue = ref.operand ? values.get(ref.operand) : undefined
  const operand = operandValue ? textOf(operandValue) : (ref.operand ?? '')
  if (!operand) throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}) is not a complete expression: write it as \${name${ref.op}N}`, ref.line)
  if (v.kind === 'date') {
    if (ref.op !== '+' && ref.op !== '-') throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}): ${ref.name} is a date and takes only + or - a number of ${v.d.unit}s`, ref.line)
    if (!/^\d{1,6}$/.test(operand)) throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}): ${ref.name} steps by a whole number of ${v.d.unit}s, not "${operand}"`, ref.line)
    return v.d.step(ref.op === '+' ? Number(operand) : -Number(operand))
  }
  if (v.kind === 'number') {
    const b = parseOperand(operand)
    if (!b) throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}): "${operand}" is not a number`, ref.line)
    try {
      return formatDecimal(calculate(v.n, ref.op, b))
    } catch (e) {
      throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}): ${(e as Error).message}`, ref.line)
    }
  }
  if (ref.op !== '+') throw bad('bad_variable_expression', `${ref.text} (line ${ref.line}): ${ref.name} is text and takes only + (to join)`, ref.line)
  return v.text + operand
}

/**
 * Substitutes a script's variables, or throws an `invalid` AppError (field `code`, with the line)
 * for an unknown name where the language refuses one (shared/script-variables.ts refusesUnknown),
 * a bad expression, or a bad run_date. References on comment lines that name nothing known are left.
 */
export function substituteVariables(code: string, ctx: VariableContext): Substitution {
  const { values, runDate, warnings } = resolveValues(code, ctx)
  const refs = findReferences(code, ctx.language)
  const unknown = refs.filter((r) => !values.has(r.name) && !r.inComment && refusesUnknown(ctx.language, r.name))
  if (unknown.length) {
    const names = [...new Map(unknown.map((r) => [r.name, r])).values()].map((r) => `\${${r.name}} (line ${r.line})`)
    const how = ctx.language === 'sql' ? '--@set name=value' : '#@set name=value'
    throw bad(
      'unknown_variable',
      `unknown variable${names.length > 1 ? 's' : ''} ${names.join(', ')}: give ${names.length > 1 ? 'them values' : 'it a value'} in the job's variables or with a "${how}" line`,
      unknown[0].line,
    )
  }
  const expressions = new Map<string, string>()
  const lines = code.split('\n')
  const byLine = new Map<number, VariableReference[]>()
  for (const r of refs) byLine.set(r.line, [...(byLine.get(r.line) ?? []), r])
  for (const [line, list] of byLine) {
    let i = 0
    lines[line - 1] = lines[line - 1].replace(REFERENCE, (whole) => {
      const ref = list[i++]
      const v = values.get(ref.name)
      if (!v) return whole
      const value = evaluate(ref, v, values)
      expressions.set(ref.text, value)
      return value
    })
  }
  // then the pattern placeholders, at run_date with the current time of day (VariableOperationUtils)
  const now = civilOf(ctx.now ?? new Date())
  const base = new Date(runDate.getTime() + (now.getTime() % 86_400_000))
  const replaced = lines.join('\n').replace(PLACEHOLDER, (whole, content: string) => {
    const value = evaluatePlaceholder(content, base)
    if (value !== null) expressions.set(whole, value)
    return value ?? whole
  })
  return { code: replaced, expressions: [...expressions].map(([text, value]) => ({ text, value })), warnings }
}
