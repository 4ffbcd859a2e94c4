// The answer of an HTTP call a task makes (the http executor, Rill Flow's function tasks): chosen by
// whoever runs the called server, so read with the limits a request body has (#9 §2). Read whole,
// a 450 MB answer held the main thread 39 s; parsed unchecked, 1.3 million empty lists held it 5.3 s
// and a million levels overflowed the stack of the code that saves the task's output (atk30).
import { isAppError } from '../../shared/errors'
import { checkJsonShape } from '../../shared/json-limits'
import { TaskFailure } from '../engine/executor'

/** The most an answer may hold (bytes): as much as a submit's context (http/body-limits.ts BODY_LIMITS.content). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024

/**
 * The text of `res`'s body, read as it streams and stopped at MAX_ANSWER_BYTES (from Content-Length,
 * or when the bytes read pass it): then the connection is dropped and a non-retryable TaskFailure
 * says that `what` (e.g. "GET http://…") answered more than the limit.
 */
export async function readAnswerText(res: Response, what: string): Promise<string> {
  const tooLarge = () => new TaskFailure(`${what} answered more than ${MAX_ANSWER_BYTES / (1024 * 1024)} MB, the most an answer may hold`, false)
  if (Number(res.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await res.body?.cancel().catch(() => undefined)
    throw tooLarge()
  }
  if (!res.body) return ''
  const reader = res.body.getReader()
  const decoder = new TextDecoder()
  let read = 0
  let text = ''
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return text + decoder.decode()
    read += value.byteLength
    if (read > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined)
      throw tooLarge()
    }
    text += decoder.decode(value, { stream: true })
  }
}

/**
 * JSON.parse of an answer's `text` after checkJsonShape (shared/json-limits.ts): an answer nested
 * deeper than MAX_JSON_DEPTH, of more than MAX_JSON_CONTAINERS lists and maps or of too many keys (MAX_JSON_KEYS) throws a
 * non-retryable TaskFailure naming `field` and the limit. Text that is not JSON throws a SyntaxError.
 */
export function parseAnswerJson(text: string, field: string): unknown {
  try {
    checkJsonShape(text, field)
  } catch (e) {
    if (isAppError(e)) throw new TaskFailure(e.message, false)
    throw e
  }
  return JSON.parse(text) as unknown
}
