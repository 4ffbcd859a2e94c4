import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AppError, type ErrorKind } from '../../shared/errors'
import { evaluateMappingText } from '../http/dialects/rillflow/mapping-evaluation'
import { QueryWorkerPool } from '../graph/worker/query-pool'
import { startWorker } from '../worker-thread'
import type { MappingEvaluationMessage, MappingEvaluationRequest } from './mapping-worker'
import { WORKER_THREADS, workerSlots } from './worker-slots'

/**
 * Up to this many characters a mapping_evaluation.json body is answered on the main thread; a longer
 * one in a worker thread. Measured on a 2-core machine at load 2.5: a 3.86 MB context of 240,000 keys
 * took 642-886 ms to parse, map and write back (~0.2 ms per kB), so 64 kB stays near 15 ms.
 */
export const INLINE_MAPPING_CHARS = 64 * 1024
/** A body is at most 4 MB (http/body-limits.ts) and the pass's copies are budgeted (value-budget.ts). */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 256, maxYoungGenerationSizeMb: 32 }
const WAITING = 8

const slots = workerSlots({
  running: WORKER_THREADS,
  waiting: WAITING,
  code: 'too_many_mapping_evaluations',
  busy: `${WORKER_THREADS + WAITING} long mapping evaluations are already running or waiting: try again in a moment`,
})

/** The mapping workers: one stays loaded between bodies. Unref'd: an idle worker does not keep the process alive. */
const pool = new QueryWorkerPool(
  () => {
    const worker = startWorker('mapping-worker', dirname(fileURLToPath(import.meta.url)), undefined, WORKER_LIMITS)
    worker.unref()
    return worker
  },
  WORKER_THREADS,
  1,
  'a mapping worker stopped while loading',
)

/**
 * The answer's JSON text to a mapping_evaluation.json body `text` (evaluateMappingText): a short body
 * on the main thread, a long one in a worker thread, under the same budgets. Rejects with what
 * evaluateMappingText throws (AppError `invalid` naming the field), with AppError `unavailable`
 * (too_many_mapping_evaluations) when too many long ones are running and waiting, and AppError
 * `internal` when a worker fails.
 */
export async function evaluateMappings(text: string): Promise<string> {
  if (text.length <= INLINE_MAPPING_CHARS) return evaluateMappingText(text)
  await slots.acquire()
  try {
    const worker = await pool.acquire()
    let ok = false
    try {
      const answer = await new Promise<MappingEvaluationMessage>((resolve, reject) => {
        const fail = (why: string) => reject(new AppError('internal', 'mapping_evaluation_failed', `evaluating the mappings failed: ${why}`))
        const onError = (e: Error) => fail(e.message)
        const onExit = () => fail('its worker stopped')
        worker.once('message', (m: MappingEvaluationMessage) => {
          worker.off('error', onError)
          worker.off('exit', onExit)
          resolve(m)
        })
        worker.once('error', onError)
        worker.once('exit', onExit)
        worker.postMessage({ text } satisfies MappingEvaluationRequest)
      })
      ok = answer.type !== 'error'
      if (answer.type === 'answer') return answer.json
      if (answer.type === 'refused') throw new AppError(answer.kind as ErrorKind, answer.code, answer.message, answer.field === undefined ? {} : { field: answer.field })
      throw new AppError('internal', 'mapping_evaluation_failed', `evaluating the mappings failed: ${answer.message}`)
    } finally {
      if (ok) pool.release(worker)
      else pool.discard(worker) // it failed or died: a fresh one for the next body
    }
  } finally {
    slots.release()
  }
}
