// The answers of Rill Flow's views that carry stored JSON (a context, large task values) or values
// written in pieces (a wide foreach's group statuses): built as text when small, else streamed
// (http/json-stream.ts), so that no one answer holds the main thread for its whole size (#9 §2).
import type { FastifyReply } from 'fastify'
import type { JobView } from '../../../store/finished-views'
import { stringifyWithRaw, type RawJson } from '../../../store/raw-json'
import { jsonStream, JSON_TYPE } from '../../json-stream'

/** Above this many bytes a stored context is streamed into its answer, slice by slice, and the answer is not kept (#9 §2). */
export const STREAMED_CONTEXT_BYTES = 64 * 1024

/**
 * An answer that carries `context` (a stored context as RawJson, raw-json.ts): built as text (and so
 * kept while its execution is finished, finished-views.ts), or, for a large context, the value to
 * stream (http/json-stream.ts): writing megabytes in one go held every other request (#9 §2).
 */
export interface AnswerView extends JobView {
  body?: string
  streamed?: unknown
}

/**
 * `answer` for `job` as text, or as the value to stream: when `streamed` (it holds task values as
 * stored JSON, RawJson, or a wide foreach's group statuses, JsonPieces) or its `context` is larger than
 * STREAMED_CONTEXT_BYTES. A streamed one's size is Infinity: finished-views.ts keeps only text.
 */
export function answerView<J extends JobView['job']>(job: J, answer: unknown, context: RawJson | null | undefined, streamed = false): AnswerView & { job: J } {
  if (streamed || (context && context.size > STREAMED_CONTEXT_BYTES)) return { job, streamed: answer, size: Number.POSITIVE_INFINITY }
  const body = stringifyWithRaw(answer)
  return { job, body, size: body.length }
}

/** Sends an answerView: its text, or its value streamed (jsonStream). */
export function sendView(reply: FastifyReply, view: AnswerView): FastifyReply {
  return reply.type(JSON_TYPE).send(view.body ?? jsonStream(view.streamed))
}

