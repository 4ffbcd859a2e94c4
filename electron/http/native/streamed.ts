// Operations whose HTTP answer can be too large to build in one go (a whole log): the route streams
// it, in the same bytes as the one-shot JSON the handler gives IPC, so the server keeps answering
// while it is written (#9 §2).

import type { OperationName, Params, Result } from '../../../shared/api'
import type { Actor } from '../../services/access'
import type { JobsService } from '../../services/jobs.service'
import { LateValue, StreamedString } from '../json-stream'

/** Streamed results: the operation's Result with its large strings as StreamedString and values known at the end as LateValue. */
type Streamable<T> = { [P in keyof T]: T[P] | StreamedString | LateValue }

/**
 * What the native route of an operation streams instead of the handler's result (http/json-stream.ts).
 * Each one checks access and existence before returning, so its errors still get their status code.
 */
export type StreamedOperations = { [K in OperationName]?: (params: Params<K>, actor: Actor) => Streamable<Result<K>> }

export function streamedOperations(jobs: JobsService): StreamedOperations {
  return {
    'jobs.logText': (p, actor) => {
      const log = jobs.logTextPieces(p.id, actor, p.task)
      return { fileName: log.fileName, text: new StreamedString(log.pieces), lines: new LateValue(log.lines) }
    },
  }
}
