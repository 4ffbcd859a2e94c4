// The variables form: rows of name = value, sent as `variables`; the server replaces `${name}`.

import { isTimeoutSeconds, TIMEOUT_SECONDS_RANGE, type ScriptLanguage } from '../../../../shared/api'
import { BUILTIN_VARIABLES, findReferences, refusesUnknown, setDefinitions, VARIABLE_NAME } from '../../../../shared/script-variables'

export interface VariableRow {
  id: number
  name: string
  value: string
}

/** The same name rule the server's `${name}` substitution accepts. */
const NAME = VARIABLE_NAME

let nextId = 1
export const newVariableRow = (name = '', value = ''): VariableRow => ({ id: nextId++, name, value })

export type VariablesCheck = { ok: true; variables: Record<string, string> | undefined } | { ok: false; error: string }

/** Rows to the `variables` object; blank rows are skipped, bad or repeated names are refused. */
export function collectVariables(rows: readonly VariableRow[]): VariablesCheck {
  const variables: Record<string, string> = {}
  for (const row of rows) {
    const name = row.name.trim()
    if (!name && !row.value) continue
    if (!NAME.test(name)) return { ok: false, error: `variable name "${name}" must start with a letter or _ and hold only letters, digits, _ and .` }
    if (Object.hasOwn(variables, name)) return { ok: false, error: `variable "${name}" is given twice` }
    variables[name] = row.value
  }
  return { ok: true, variables: Object.keys(variables).length ? variables : undefined }
}

/**
 * `${name}`s in the code that neither a row, an `@set` line nor a built-in fills, and that the server
 * would therefore refuse (in shell only misspelt `run_` names: the rest are the shell's own).
 */
export function unsetReferences(code: string, language: ScriptLanguage, rows: readonly VariableRow[]): string[] {
  const known = new Set<string>([...BUILTIN_VARIABLES, ...rows.map((r) => r.name.trim()), ...Object.keys(setDefinitions(code, language))])
  const missing = new Set<string>()
  for (const r of findReferences(code, language)) if (!known.has(r.name) && !r.inComment && refusesUnknown(language, r.name)) missing.add(r.name)
  return [...missing]
}

/**
 * `${name}`s in the code (outside comments) that a row gives an empty value and no `@set` line
 * sets: the run puts nothing there, which in SQL is mostly a syntax error far from its cause
 * (`where pop >  order by` → 'near "order"'), newuser5 #5.
 */
export function emptyReferences(code: string, language: ScriptLanguage, rows: readonly VariableRow[]): string[] {
  const empty = new Set(rows.filter((r) => r.name.trim() && r.value === '').map((r) => r.name.trim()))
  const set = setDefinitions(code, language)
  const found = new Set<string>()
  for (const r of findReferences(code, language)) if (empty.has(r.name) && !r.inComment && !Object.hasOwn(set, r.name)) found.add(r.name)
  return [...found]
}

export type TimeoutCheck = { ok: true; seconds: number | undefined } | { ok: false; error: string }

/** The optional timeout field: blank leaves it to the server's default (DEFAULT_SCRIPT_TIMEOUT_SECONDS). */
export function parseTimeout(text: string): TimeoutCheck {
  const t = text.trim()
  if (!t) return { ok: true, seconds: undefined }
  const seconds = Number(t)
  if (!isTimeoutSeconds(seconds)) return { ok: false, error: `The timeout ${TIMEOUT_SECONDS_RANGE}.` }
  return { ok: true, seconds }
}
