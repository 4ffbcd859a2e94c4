// A worker thread that parses long JSON request bodies (json-parser.ts), so that a context of
// megabytes, or of a map of 240,000 keys (~1 s to parse on a busy machine), never holds up the main
// thread's requests and engine (#9 §2). It says `ready` once loaded, then answers one JsonParseRequest
// at a time, and stays loaded for the next (graph/worker/query-pool.ts).
import { parentPort } from 'node:worker_threads'
import { isAppError } from '../../shared/errors'
import { parseClientJsonShaped } from '../http/client-json'
import type { JsonShape } from '../../shared/json-limits'
import { yieldToMainThread } from '../worker-thread'
import { memberTextsOf, splitJson, type MemberText } from './json-pieces'

export interface JsonParseRequest {
  /** The JSON text, and the field it came as (named in a refusal). */
  text: string
  field: string
  /** Also answer `members` (memberTextsOf): for a callback body whose members are saved read-only (json-parser.ts). */
  memberTexts?: boolean
}

/**
 * `parsed`: the value, cut into pieces for rebuildJson (json-pieces.ts), transferred, and the text's
 * JsonShape as its checks counted it; `refused`: an
 * AppError parseClientJson threw (too deep, too many containers, a prototype key), to throw as it is;
 * `syntax`: the text is not JSON (JSON.parse's message, which names the position); `error`: anything else.
 */
export type JsonParseMessage =
  | { type: 'parsed'; pieces: ArrayBuffer[]; shape: JsonShape; members?: MemberText[] }
  | { type: 'refused'; kind: string; code: string; message: string; field?: string }
  | { type: 'syntax'; message: string }
  | { type: 'error'; message: string }

yieldToMainThread()
parentPort!.on('message', ({ text, field, memberTexts }: JsonParseRequest) => {
  let answer: JsonParseMessage
  try {
    const { value, shape } = parseClientJsonShaped(text, field)
    const members = memberTexts ? memberTextsOf(value) : undefined
    const pieces = splitJson(value)
    return parentPort!.postMessage({ type: 'parsed', pieces, shape, ...(members?.length ? { members } : {}) } satisfies JsonParseMessage, pieces)
  } catch (e) {
    if (isAppError(e)) answer = { type: 'refused', kind: e.kind, code: e.code, message: e.message, ...(e.field === undefined ? {} : { field: e.field }) }
    else if (e instanceof SyntaxError) answer = { type: 'syntax', message: e.message }
    else answer = { type: 'error', message: (e as Error).message }
  }
  parentPort!.postMessage(answer)
})
parentPort!.postMessage({ type: 'ready' })
