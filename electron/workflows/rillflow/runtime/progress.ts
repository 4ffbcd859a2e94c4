// An execution's progress as Rill Flow computes it (DAGRuntimeFacade.dagProgressCalculate;
// rillflow.md §3b): the weighted completion of the top-level tasks, a choice/foreach counting the
// share of its groups that ended.

import type { TaskRecord } from '../../../store/job.repository'
import { evaluateAviator } from '../aviator'
import { StepPool } from '../value-budget'
import type { Task } from '../descriptor/types'
import { groupsOf } from './groups'
import { routeOf, specOf } from './task-specs'

/**
 * Aviator steps of progress calculations, which run on every progress update of a running
 * execution (engine progress, get.json): Rill Flow's are a line of arithmetic over
 * `taskRunningTimeInMillis` (a few dozen steps). With a transform's 100,000 each, and none for the
 * call, an execution of 100 running tasks could take 10 M steps per update.
 */
export const PROGRESS_LIMITS = {
  /** Steps one task's calculation may take. */
  stepsPerCalculation: 2_000,
  /** Steps all the calculations of one executionProgress call may take together. */
  stepsPerCall: 10_000,
} as const

const completed = (t: TaskRecord) => t.status === 'succeeded' || t.status === 'skipped' || t.status === 'failed'

/**
 * 0..100 of the top-level tasks, each weighted by `progress.weight` (default 1): a completed task
 * counts whole, a running one with `progress.calculation` by that Aviator value, a choice/foreach
 * by its groups ended / groups in all. If a calculation fails: the share of top-level tasks completed.
 * It does not look at the execution's own state (get.json answers 100 once it ended).
 * Calculations run within PROGRESS_LIMITS; one over them counts as failed.
 */
export function executionProgress(tasks: readonly TaskRecord[], now: number, endedGroups: (parent: TaskRecord) => number): number {
  const top = tasks.filter((t) => routeOf(t) === null)
  let total = 0
  let complete = 0
  const steps = new StepPool('the progress calculations of one execution', PROGRESS_LIMITS.stepsPerCall)
  try {
    for (const t of top) {
      const def: Task = specOf(t).def
      const weight = Number(def.progress?.weight ?? 1)
      total += weight
      if (completed(t)) complete += weight
      else if (def.progress?.calculation && t.status === 'running') {
        const running = now - (t.startedAt ?? now)
        const env = { params: {}, taskRunningTimeInMillis: running }
        const value = evaluateAviator(def.progress.calculation, env, { maxSteps: PROGRESS_LIMITS.stepsPerCalculation, budget: steps })
        // only a number (or its text) counts: converting a list built by aliasing would walk all of it
        if (typeof value !== 'number' && typeof value !== 'string') throw new TypeError('progress calculation did not return a number')
        complete += Number(value) * weight
      } else {
        const groups = groupsOf(t)
        if (groups && groups.groups > 0) {
          complete += (endedGroups(t) / groups.groups) * weight // counted as groups change: a foreach may have 100k
        }
      }
    }
    return total ? Math.floor((complete * 100) / total) : 0
  } catch {
    const done = top.filter(completed).length
    return top.length ? Math.floor((done * 100) / top.length) : 0
  }
}
