// What a script's `${…}` references look like, and which names the server fills by itself: shared so
// the Scripts page warns about exactly what the server refuses. The values are computed by
// electron/services/script-variables.ts. Follows Apache Linkis (linkis-common VariableUtils.scala,
// CustomDateType.scala, DateTypeUtils.scala; linkis-website docs/architecture/commons/variable.md).

import type { ScriptLanguage } from './api'

/**
 * Linkis's date variables, all derived from `run_date` (yyyyMMdd, yesterday unless the job sets it);
 * `_std` forms are yyyy-MM-dd (yyyy-MM for the `_mon` family, "yyyy-MM-dd HH" for hours).
 */
export const DATE_VARIABLES = [
  'run_date',
  'run_date_std',
  'run_today',
  'run_today_std',
  'run_month_begin',
  'run_month_begin_std',
  'run_month_end',
  'run_month_end_std',
  'run_month_now_begin',
  'run_month_now_begin_std',
  'run_month_now_end',
  'run_month_now_end_std',
  'run_quarter_begin',
  'run_quarter_begin_std',
  'run_quarter_end',
  'run_quarter_end_std',
  'run_half_year_begin',
  'run_half_year_begin_std',
  'run_half_year_end',
  'run_half_year_end_std',
  'run_year_begin',
  'run_year_begin_std',
  'run_year_end',
  'run_year_end_std',
  'run_mon',
  'run_mon_std',
  'run_mon_start',
  'run_mon_start_std',
  'run_mon_end',
  'run_mon_end_std',
  'run_last_mon_now',
  'run_last_mon_now_std',
  'run_current_mon_now',
  'run_current_mon_now_std',
  'run_mon_now',
  'run_mon_now_std',
  'run_today_h',
  'run_today_h_std',
  'run_today_hour',
  'run_today_hour_std',
] as const

/** Set by the server from who runs the job; a job cannot override them (as in Linkis's CustomVariableUtils). */
export const USER_VARIABLES = ['user', 'execute_user', 'submit_user'] as const

export const BUILTIN_VARIABLES: readonly string[] = [...DATE_VARIABLES, ...USER_VARIABLES]

/** A variable name: a letter or `_`, then letters, digits, `_` and `.`. */
export const VARIABLE_NAME = /^[A-Za-z_][\w.]*$/

/**
 * A job variable's value as substitution writes it into the code: an object or array as its JSON, any
 * other value as String(value); null and undefined give undefined (the variable counts as not given).
 * The one rule for both the server's substitution and the views that show a job's variables.
 */
export function variableText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/**
 * `${name}` or `${name op operand}` with op one of + - * / (Linkis's codeReg): `${run_date-1}`,
 * `${f*2}`, `${a+b}`. Shell forms such as `${HOME:-x}` or `${#arr}` do not match.
 */
export const REFERENCE = /\$\{\s*([A-Za-z_][\w.]*)\s*(?:([-+*/])\s*([\w.]*)\s*)?\}/g

/** One `${…}` in a script, with the line it is on (1-based). */
export interface VariableReference {
  text: string
  name: string
  op?: '+' | '-' | '*' | '/'
  operand?: string
  line: number
  /** On a line that is only a comment (`--` in SQL, `#` in Python and shell). */
  inComment: boolean
}

/** How each language starts a comment line; `<comment>@set name=value` defines a variable (Linkis getCustomVar). */
const COMMENT_PREFIX: Record<ScriptLanguage, string> = { sql: '--', python: '#', shell: '#', cypher: '//' }
const COMMENT = (language: ScriptLanguage) => new RegExp(`^\\s*${COMMENT_PREFIX[language]}`)
const SET_LINE = (language: ScriptLanguage) => new RegExp(`^\\s*${COMMENT_PREFIX[language]}@set\\s*([^=]+?)\\s*=(.*?)\\s*;?\\s*$`)

/** Every `${…}` reference in the code, in order. */
export function findReferences(code: string, language: ScriptLanguage): VariableReference[] {
  const out: VariableReference[] = []
  const [comment, set] = [COMMENT(language), SET_LINE(language)]
  code.split('\n').forEach((text, i) => {
    const inComment = comment.test(text) && !set.test(text)
    for (const m of text.matchAll(REFERENCE)) {
      const op = m[2] as VariableReference['op']
      out.push({ text: m[0], name: m[1], ...(op ? { op, operand: m[3] } : {}), line: i + 1, inComment })
    }
  })
  return out
}

/**
 * Variables the script defines for itself, one per line: `--@set name=value` in SQL, `#@set name=value`
 * in Python and shell. They win over the variables sent with the job (Linkis's scope order).
 */
export function setDefinitions(code: string, language: ScriptLanguage): Record<string, string> {
  const out: Record<string, string> = {}
  const set = SET_LINE(language)
  for (const line of code.split('\n')) {
    const m = set.exec(line)
    if (m && VARIABLE_NAME.test(m[1]) && !Object.hasOwn(out, m[1])) out[m[1]] = m[2].trim()
  }
  return out
}

/**
 * Whether an unknown `${name}` is refused. SQL and Python have no `${…}` syntax of their own, so an
 * unknown name is a mistake. Shell has: `${HOME}`, `${1}`, `${x-default}` and the script's own
 * variables are the shell's to expand, so only names in Linkis's reserved `run_` family are refused
 * there (a misspelt `${run_quater_begin}` would otherwise expand to an empty string).
 */
export function refusesUnknown(language: ScriptLanguage, name: string): boolean {
  return language === 'shell' ? name.startsWith('run_') : true
}
