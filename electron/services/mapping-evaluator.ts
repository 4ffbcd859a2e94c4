import { AppError, type ErrorKind } from '../../shared/errors'
import { evaluateMappingText } from '../http/dialects/rillflow/mapping-evaluation'
import type { MappingEvaluationMessage, MappingEvaluationRequest } from './mapping-worker'
import { textWorkers } from './text-workers'

/**
 * Up to this many characters a mapping_evaluation.json body is answered on the main thread; a longer
 * one in a worker thread. Measured on a 2-core machine at load 2.5: a 3.86 MB context of 240,000 keys
 * took 642-886 ms to parse, map and write back (~0.2 ms per kB), so 64 kB stays near 15 ms.
 */
export const INLINE_MAPPING_CHARS = 64 * 1024
/** The mapping workers (mapping-worker.ts); a body is at most 4 MB (http/body-limits.ts) and the pass's copies are budgeted (value-budget.ts). */
const workers = textWorkers<MappingEvaluationRequest, MappingEvaluationMessage>({
  entry: 'mapping-worker',
  doing: 'evaluating the mappings',
  failCode: 'mapping_evaluation_failed',
  busyCode: 'too_many_mapping_evaluations',
  busy: (limit) => `${limit} long mapping evaluations are already running or waiting: try again in a moment`,
})

/**
 * The answer's JSON text to a mapping_evaluation.json body `text` (evaluateMappingText): a short body
 * on the main thread, a long one in a worker thread, under the same budgets. Rejects with what
 * evaluateMappingText throws (AppError `invalid` naming the field), with AppError `unavailable`
 * (too_many_mapping_evaluations) when too many long ones are running and waiting, and AppError
 * `internal` when a worker fails. `owner` (body-rate.ts bodyOwner: whose body) shares the workers
 * fairly between callers, and `signal` (the client hung up) takes a long one out of the line or stops
 * its worker: without them, one caller's long bodies filled the line for everyone (atk13).
 */
export async function evaluateMappings(text: string, o: { owner: string; signal?: AbortSignal }): Promise<string> {
  if (text.length <= INLINE_MAPPING_CHARS) return evaluateMappingText(text)
  const answer = await workers.ask({ text }, o)
  if (answer.type === 'answer') return answer.json
  throw new AppError(answer.kind as ErrorKind, answer.code, answer.message, answer.field === undefined ? {} : { field: answer.field })
}
