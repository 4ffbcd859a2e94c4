// Filters in a descriptor's paths (`$.input.[?(@.s =~ /^a+$/)]` in conditions, mapping sources
// and the rest) are compiled when the descriptor is added, so a pattern RE2 cannot run (a
// backreference, lookaround, a program too large) or a filter too long to evaluate is refused with
// its task, field and line instead of silently never matching (or holding the engine) at run
// time. Other path errors stay lenient, as upstream reads them as null.

import { PatternSyntaxError } from '../jsonpath'
import { FilterTooLongError } from '../jsonpath/filter-parser'
import { compilePath } from '../jsonpath/parser'
import { fail, type Site } from './error'
import type { LineIndex, YamlPath } from './lines'
import type { Dag } from './types'
import { allTasks, siteOf } from './walk'

export function validatePatterns(dag: Dag, lines: LineIndex | undefined): void {
  const { tasks: _tasks, ...dagLevel } = dag
  scan(dagLevel, { path: [], lines }, [])
  for (const ref of allTasks(dag.tasks)) scan(ref.task, siteOf(ref, lines), [])
}

/** Every string under `value` that is a path with a filter; sub-task lists are scanned as their own tasks. */
function scan(value: unknown, site: Site, field: YamlPath): void {
  if (typeof value === 'string') return check(value, site, field)
  if (Array.isArray(value)) return value.forEach((v, i) => scan(v, site, [...field, i]))
  if (typeof value !== 'object' || value === null) return
  for (const [key, v] of Object.entries(value)) if (key !== 'tasks') scan(v, site, [...field, key])
}

function check(text: string, site: Site, field: YamlPath): void {
  const trimmed = text.trim()
  if (!trimmed.includes('[?') || !(trimmed.startsWith('$') || trimmed.startsWith('@'))) return
  try {
    compilePath(trimmed)
  } catch (e) {
    if (e instanceof PatternSyntaxError || e instanceof FilterTooLongError) fail(site, e.message, field)
  }
}
