import { AppError, isAppError, type ErrorKind } from '../../shared/errors'
import { TaskFailure } from '../engine/executor'
import { systemClock, type Clock } from '../clock'
import { parseClientJsonShaped } from '../http/client-json'
import type { JsonShape } from '../../shared/json-limits'
import type { JsonParseMessage, JsonParseRequest } from './json-worker'
import { rebuildJson } from './json-pieces'
import { offerJsonText } from '../store/state-json'
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

/**
 * How long a function task's long answer waits for room among the JSON workers (ms) before its task
 * fails (retryable): a full queue is load, so the answer waits rather than fails; 2 minutes is ~100
 * times the longest parse measured (4 MB, 1.2 s) for each of the WORKER_THREADS + 8 texts ahead of it.
 */
export const ANSWER_WAIT_MS = 120_000

/**
 * A parsed JSON text: `copy`, when asked for and the text was long, a second copy of it sharing no map
 * or list with `value`; `shape`, the text's nodes and containers as its checks counted them.
 */
export interface ParsedJson {
  value: unknown
  copy?: unknown
  shape: JsonShape
}

/**
 * parseClientJson(`text`, `field`) (http/json-body.ts) without holding the main thread for a long
 * text: up to INLINE_JSON_CHARS on this thread, a longer one in a worker thread, its value read back
 * here piece by piece (json-pieces.ts) so that other requests are answered between the pieces.
 * With `memberTexts`, the worker also serializes each long list or map member of a map it parsed, and
 * their texts are offered for the value's members (store/state-json.ts offerJsonText: a callback body
 * whose members its save writes read-only, serialized off this thread). With `copy`, a long text's value comes back twice, built apart (what a caller that keeps one and
 * changes the other would copy here, at the cost of another walk of the whole value). Rejects as
 * parseClientJson throws: an AppError naming `field` (too deep, too many containers, a prototype
 * key), a SyntaxError with JSON.parse's message (which names the position); and with AppError
 * `unavailable` (too_many_json_bodies) when too many long ones are being read and waiting (unless
 * `patient`: it then waits for room, until `signal` aborts, rejecting with its reason), AppError
 * `internal` (json_parse_failed) when a worker fails. `owner` (bodyOwner: whose body) shares the
 * workers fairly: one user's bodies never make another's wait behind more than one of theirs (atk12).
 */
export async function parseClientJsonOffThread(text: string, field: string, o: { copy?: boolean; memberTexts?: boolean; signal?: AbortSignal; patient?: boolean; owner: string }): Promise<ParsedJson> {
  // a worker is started by the first long text, not before: most processes never see one
  if (text.length <= INLINE_JSON_CHARS) return parseClientJsonShaped(text, field)
  const answer = await workers.ask({ text, field, ...(o.memberTexts ? { memberTexts: true } : {}) }, { signal: o.signal, patient: o.patient, owner: o.owner })
  if (answer.type === 'syntax') throw new SyntaxError(answer.message)
  if (answer.type === 'refused') throw new AppError(answer.kind as ErrorKind, answer.code, answer.message, answer.field === undefined ? {} : { field: answer.field })
  const [value, copy] = await rebuildJson(answer.pieces, o.copy ? 2 : 1)
  for (const m of answer.members ?? []) offerJsonText((value as Record<string, unknown>)[m.key], m.text, m.nested)
  return o.copy ? { value, copy, shape: answer.shape } : { value, shape: answer.shape }
}

/**
 * An HTTP answer's text parsed as parseAnswerJson does (executors/http-answer.ts), a long one in the
 * JSON worker: for function tasks (FunctionExecutorDeps.parseJson). When the workers and their queue
 * are full, the answer waits for room (never parsed on this thread instead): the task keeps its engine
 * slot meanwhile, so the engine starts no more tasks than its concurrency while answers wait. After
 * `waitMs` (ANSWER_WAIT_MS, timed on `clock`) of waiting it fails with a TaskFailure that is retried,
 * saying so; when `signal` (the task's) aborts first it rejects with its reason. A refusal (too deep,
 * too many lists and maps, a prototype key) is a TaskFailure not retried. Text that is not JSON throws
 * the SyntaxError. `owner` (the task's job's submitter) shares the workers fairly between users.
 */
export async function parseAnswerOffThread(text: string, field: string, o: { owner: string; signal?: AbortSignal; waitMs?: number; clock?: Clock }): Promise<unknown> {
  const { owner, signal, waitMs = ANSWER_WAIT_MS, clock = systemClock } = o
  const waiting = new AbortController()
  const onAbort = () => waiting.abort(signal!.reason)
  let timer: unknown
  if (text.length > INLINE_JSON_CHARS) {
    timer = clock.setTimeout(() => {
      const kB = Math.ceil(text.length / 1024)
      waiting.abort(new TaskFailure(`${field} (${kB} kB) waited ${waitMs / 1000} s for a JSON worker and got none: every one was busy reading long JSON texts, with more waiting, the whole time (the server is overloaded)`))
    }, waitMs)
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
  }
  try {
    return (await parseClientJsonOffThread(text, field, { owner, signal: waiting.signal, patient: true })).value
  } catch (e) {
    if (!isAppError(e)) throw e
    throw new TaskFailure(e.message, e.kind === 'unavailable')
  } finally {
    if (timer !== undefined) clock.clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** The JSON workers' bound on texts being read and waiting (for tests that fill it). */
export const jsonWorkerSlots = workers.slots
