import type { JobControl } from '../../../engine/driver'
import { forgetKeptText } from '../../../store/state-json'
import { evaluateAviator } from '../aviator'
import type { PathWork } from '../jsonpath'
import { applyMappings, CONSTANT_PARSE_CHARGE, type Mapping, type MappingHooks } from '../mappings'
import { saveCharge } from '../value-budget'
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

/**
 * Call after changing the context of `route` in place (contextOf), so it is saved: only that group's
 * row, or the execution's context. A group's row is counted against the engine tick (saveCharge), as
 * tasks' values are (and constants the mappings parsed: mappingHooks `charge`): the tick stops early
 * and leaves other groups' work to the next.
 */
export function contextTouched(ctl: JobControl, route: string | null): void {
  if (!route) return ctl.contextChanged()
  const { parent, group } = parseRoute(route)
  ctl.groups(parent).touch(group)
  ctl.charge(saveCharge(contextOf(ctl, route)))
}

/**
 * Mapping hooks: trigger URLs from the app, and the transform evaluator: Aviator through the
 * sandboxed interpreter, each script with its own 100,000 steps and, if it may change a list or
 * map, its own copy of `source` (one that only reads gets it as it is, read-only: no copy per item).
 * Its work is bounded per mapping pass, not per script: the steps and the source copy are also
 * spent from the budget applyMappings makes for the pass (value-budget.ts PassBudget: 100,000
 * steps and 8 MB of copies for all its transforms together; a shared counter, not a clock, so the
 * same descriptor fails or runs the same way on a busy machine). The budget is never kept here:
 * one settling of a foreach passes these hooks to each group's pass, and each pass has its own.
 * `task` names the task whose mappings these are, in the error of a pass that ran out. `charge`
 * (JobControl.charge of the engine tick running them) is given what the constants they parse cost
 * (CONSTANT_PARSE_CHARGE a character); without it (outside a tick) nothing is charged.
 */
export function mappingHooks(triggerUrl: (task: string, query: string | undefined) => string, task?: string, charge?: (bytes: number) => void): MappingHooks {
  return {
    transform: (script, env, budget) => evaluateAviator(script, env as unknown as Json, { copyEnv: ['source'], budget }),
    triggerUrl,
    ...(task === undefined ? {} : { task }),
    ...(charge === undefined ? {} : { parsed: (chars: number) => charge(CONSTANT_PARSE_CHARGE * chars) }),
  }
}

/** inputMappings → a fresh input map (AbstractTaskRunner.inputMappingCalculate). */
export function mapInput(rules: Mapping[] | undefined, context: Json, hooks: MappingHooks, paths?: PathWork): Json {
  const input: Json = {}
  if (!rules?.length) return input
  forgetKeptText(context) // a target such as `$.context.x` writes into it: a group's next save serializes it again
  applyMappings(rules, { context, input, output: {} }, hooks, paths)
  return input
}

/**
 * outputMappings write from `{context, input: {}, output}` into the context, and may write into
 * `output` itself (`$.output.x`): its kept text (store/state-json.ts) is forgotten then, since a pass
 * task's output is its input object, measured and kept before its mappings ran.
 */
export function mapOutput(rules: Mapping[] | undefined, context: Json, output: Json, hooks: MappingHooks, paths?: PathWork): void {
  if (!rules?.length) return
  forgetKeptText(output)
  forgetKeptText(context)
  applyMappings(rules, { context, input: {}, output }, hooks, paths)
}
