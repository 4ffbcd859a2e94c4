import type { JobControl } from '../../../engine/driver'
import { evaluateAviator } from '../aviator'
import { applyMappings, type Mapping, type MappingHooks } from '../mappings'
import { groupTable } from './fanout'
import { parseRoute } from './names'

type Json = Record<string, unknown>

/** The context a task of `route` reads and writes: the execution's, or its group's sub-context (a row of the parent's groups). */
export function contextOf(ctl: JobControl, route: string | null): Json {
  const root = (ctl.job.context ??= {})
  if (!route) return root
  const { parent, group } = parseRoute(route)
  const task = ctl.task(parent)
  if (!task) throw new Error(`no task ${parent} for group ${route}`)
  const groups = groupTable(ctl, task)
  const sub = groups.context(group)
  if (sub && !Array.isArray(sub)) return sub
  const fresh: Json = {}
  groups.set(group, { status: groups.status(group) ?? 'running', context: fresh })
  return fresh
}

/** Call after changing the context of `route` in place (contextOf), so it is saved: only that group's row, or the execution's context. */
export function contextTouched(ctl: JobControl, route: string | null): void {
  if (!route) return ctl.contextChanged()
  const { parent, group } = parseRoute(route)
  ctl.groups(parent).touch(group)
}

/** Mapping hooks: Aviator transforms through the sandboxed interpreter, trigger URLs from the app. */
export function mappingHooks(triggerUrl: (task: string, query: string | undefined) => string): MappingHooks {
  return { transform: (script, env) => evaluateAviator(script, env as unknown as Json, { copyEnv: ['source'] }), triggerUrl }
}

/** inputMappings → a fresh input map (AbstractTaskRunner.inputMappingCalculate). */
export function mapInput(rules: Mapping[] | undefined, context: Json, hooks: MappingHooks): Json {
  const input: Json = {}
  if (rules?.length) applyMappings(rules, { context, input, output: {} }, hooks)
  return input
}

/** outputMappings write from `{context, input: {}, output}` into the context. */
export function mapOutput(rules: Mapping[] | undefined, context: Json, output: Json, hooks: MappingHooks): void {
  if (rules?.length) applyMappings(rules, { context, input: {}, output }, hooks)
}
