// A worker thread that answers long mapping_evaluation.json bodies (a context of 240,000 keys is
// 3.9 MB, ~0.7 s to parse, map and write back), so that they never hold up the main thread's requests
// and engine (#9 §2). It says `ready` once loaded, then answers one MappingEvaluationRequest at a time,
// and stays loaded for the next (graph/worker/query-pool.ts).
import { parentPort } from 'node:worker_threads'
import { isAppError } from '../../shared/errors'
import { evaluateMappingText } from '../http/dialects/rillflow/mapping-evaluation'
import { yieldToMainThread } from '../worker-thread'

export interface MappingEvaluationRequest {
  /** The request's body text. */
  text: string
}

/** `answer`: the answer's JSON text; `refused`: an AppError to throw as it is; `error`: anything else. */
export type MappingEvaluationMessage =
  | { type: 'answer'; json: string }
  | { type: 'refused'; kind: string; code: string; message: string; field?: string }
  | { type: 'error'; message: string }

yieldToMainThread()
parentPort!.on('message', ({ text }: MappingEvaluationRequest) => {
  let answer: MappingEvaluationMessage
  try {
    answer = { type: 'answer', json: evaluateMappingText(text) }
  } catch (e) {
    answer = isAppError(e)
      ? { type: 'refused', kind: e.kind, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) }
      : { type: 'error', message: (e as Error).message }
  }
  parentPort!.postMessage(answer)
})
parentPort!.postMessage({ type: 'ready' })
