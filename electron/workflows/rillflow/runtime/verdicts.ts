// How a function task's result becomes a status (FunctionTaskRunner, SimpleRetryPolicy; rillflow.md §2.3, §4.2).

import type { Verdict } from '../../../engine/driver'
import type { TaskRecord } from '../../../store/job.repository'
import type { FunctionTask } from '../descriptor/types'
import { conditionsMatch } from '../mappings'

type Json = Record<string, unknown>

/** Response JSON → output map: an object as is, an array as `{data: [...]}`, anything else none. */
export function normalizeOutput(value: unknown): Json | null {
  if (Array.isArray(value)) return { data: value }
  return value && typeof value === 'object' ? (value as Json) : null
}

/** SUCCEED or FAILED for a sync answer or a callback body. */
export function judge(def: FunctionTask, output: Json, resultType: string | undefined): boolean {
  const root = { output }
  if (def.successConditions?.length) return conditionsMatch(def.successConditions, root, 'all')
  if (def.failConditions?.length) return !conditionsMatch(def.failConditions, root, 'all')
  return resultType === undefined || resultType.toUpperCase() === 'SUCCESS'
}

/** invoke msg of a result: `error_msg|msg`, also read from `data.*`. */
export function messageOf(output: Json | null): string | undefined {
  if (!output) return undefined
  const data = output.data && typeof output.data === 'object' ? (output.data as Json) : {}
  const msg = output.error_msg ?? output.msg ?? data.error_msg ?? data.msg
  return typeof msg === 'string' ? msg : undefined
}

/** A failed attempt: retried per `retry`, else SKIPPED under `tolerance`, else FAILED. */
export function failure(def: FunctionTask, task: TaskRecord, error: string, output: Json | null, timedOut: boolean): Verdict {
  const retry = def.retry
  const retryMatches = !retry?.conditions?.length || (output !== null && conditionsMatch(retry.conditions, { output }, 'any'))
  if (retry && retryMatches && task.attempt <= Number(retry.maxRetryTimes ?? 0)) {
    const seconds = Number(retry.intervalInSeconds ?? 0) * Number(retry.multiplier ?? 1) ** task.attempt
    return { status: 'failed', error, output: output ?? undefined, retryInMs: Math.max(0, seconds * 1000) }
  }
  const tolerated = def.tolerance === true && (!timedOut || def.timeline?.skipOnTimeout === 'true')
  return tolerated ? { status: 'skipped', error, output: output ?? undefined } : { status: 'failed', error, output: output ?? undefined }
}
