import type { JobControl } from '../../../engine/driver'
import { evaluateAviator } from '../aviator'
import { applyMappings, type Mapping, type MappingHooks } from '../mappings'
import { subContextKey } from './names'

type Json = Record<string, unknown>

/** The context a task of `route` reads and writes: the execution's, or its group's sub-context. */
export function contextOf(ctl: JobControl, route: string | null): Json {
  const root = (ctl.job.context ??= {})
  if (!route) return root
  const key = subContextKey(route)
  const sub = root[key]
  if (sub && typeof sub === 'object' && !Array.isArray(sub)) return sub as Json
  return (root[key] = {})
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
