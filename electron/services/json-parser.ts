import { AppError, isAppError, type ErrorKind } from '../../shared/errors'
import { TaskFailure } from '../engine/executor'
import { parseClientJson } from '../http/client-json'
import type { JsonParseMessage, JsonParseRequest } from './json-worker'
import { rebuildJson } from './json-pieces'
import { textWorkers } from './text-workers'

/**
 * Up to this many characters a JSON body is parsed on the main thread; a longer one in a worker
 * thread. Measured on a 2-core machine at load 3.5-6: 4.2 MB of records took 150-440 ms to parse
 * and a map of 240,000 keys (3.9 MB) 0.9-1.2 s, so 64 kB stays under ~20 ms.
 */
export const INLINE_JSON_CHARS = 64 * 1024
/** The JSON workers (json-worker.ts); a body is at most 4 MB (http/body-limits.ts). */
const workers = textWorkers<JsonParseRequest, JsonParseMessage>({
  entry: 'json-worker',
  doing: 'reading the JSON body',
  failCode: 'json_parse_failed',
  busyCode: 'too_many_json_bodies',
  busy: (limit) => `${limit} long JSON bodies are already being read or waiting: try again in a moment`,
})

/** A parsed JSON text: `copy`, when asked for and the text was long, a second copy of it sharing no map or list with `value`. */
export interface ParsedJson {
  value: unknown
  copy?: unknown
}

/**
 * parseClientJson(`text`, `field`) (http/json-body.ts) without holding the main thread for a long
 * text: up to INLINE_JSON_CHARS on this thread, a longer one in a worker thread, its value read back
 * here piece by piece (json-pieces.ts) so that other requests are answered between the pieces.
 * With `copy`, a long text's value comes back twice, built apart (what a caller that keeps one and
 * changes the other would copy here, at the cost of another walk of the whole value). Rejects as
 * parseClientJson throws: an AppError naming `field` (too deep, too many containers, a prototype
 * key), a SyntaxError with JSON.parse's message (which names the position); and with AppError
 * `unavailable` (too_many_json_bodies) when too many long ones are being read and waiting, AppError
 * `internal` (json_parse_failed) when a worker fails.
 */
export async function parseClientJsonOffThread(text: string, field: string, o: { copy?: boolean } = {}): Promise<ParsedJson> {
  // a worker is started by the first long text, not before: most processes never see one
  if (text.length <= INLINE_JSON_CHARS) return { value: parseClientJson(text, field) }
  const answer = await workers.ask({ text, field })
  if (answer.type === 'syntax') throw new SyntaxError(answer.message)
  if (answer.type === 'refused') throw new AppError(answer.kind as ErrorKind, answer.code, answer.message, answer.field === undefined ? {} : { field: answer.field })
  const [value, copy] = await rebuildJson(answer.pieces, o.copy ? 2 : 1)
  return o.copy ? { value, copy } : { value }
}

/**
 * An HTTP answer's text parsed as parseAnswerJson does (executors/http-answer.ts), a long one in the
 * JSON worker: for function tasks (FunctionExecutorDeps.parseJson). A refusal (too deep, too many
 * lists and maps, a prototype key) is a TaskFailure not retried; workers all busy, one that is retried.
 * Text that is not JSON throws the SyntaxError.
 */
export async function parseAnswerOffThread(text: string, field: string): Promise<unknown> {
  try {
    return (await parseClientJsonOffThread(text, field)).value
  } catch (e) {
    if (!isAppError(e)) throw e
    throw new TaskFailure(e.message, e.kind === 'unavailable')
  }
}
