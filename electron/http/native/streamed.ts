// Operations whose HTTP answer can be too large to build in one go (a whole log): the route streams
// it, in the same bytes as the one-shot JSON the handler gives IPC, so the server keeps answering
// while it is written (#9 §2).

import type { OperationName, Params, Result } from '../../../shared/api'
import type { Actor } from '../../services/access'
import type { JobsService } from '../../services/jobs.service'
import type { ExportOutcome, ExportStream } from '../../services/export/exporter'
import { JsonPieces, LateValue, StreamedString } from '../json-stream'

/** Streamed results: the operation's Result with its large strings as StreamedString and values known at the end as LateValue. */
type Streamable<T> = { [P in keyof T]: T[P] | StreamedString | LateValue }

/**
 * What the native route of an operation streams instead of the handler's result (http/json-stream.ts).
 * Each one checks access and existence before returning, so its errors still get their status code.
 * `signal` aborts when the client hangs up before the answer starts (an export waiting for a slot leaves the queue).
 */
export type StreamedOperations = {
  [K in OperationName]?: (params: Params<K>, actor: Actor, signal: AbortSignal) => Streamable<Result<K>> | JsonPieces | Promise<Streamable<Result<K>>>
}

/**
 * An export's bytes as the escaped pieces of a JSON string: a CSV's text escaped by the export
 * (exportFile's jsonText: in its worker thread, so this thread only passes the bytes on), or base64
 * of whole 3-byte groups (xlsx), which needs no escaping. Reading them to the end waits for what the
 * export wrote (`outcome`). Chunks come from the export worker 64 KiB at a time, so no turn of the
 * event loop handles more.
 */
function exportText(file: ExportStream, encoding: 'json-text' | 'base64', done: (o: ExportOutcome) => void): StreamedString {
  const pieces = async function* () {
    let rest = Buffer.alloc(0)
    for await (const chunk of file.stream as AsyncIterable<Buffer>) {
      if (encoding === 'json-text') {
        yield chunk
        continue
      }
      const bytes = rest.length ? Buffer.concat([rest, chunk]) : chunk
      const whole = bytes.length - (bytes.length % 3)
      rest = Buffer.from(bytes.subarray(whole))
      yield bytes.subarray(0, whole).toString('base64')
    }
    if (encoding === 'base64') yield rest.toString('base64')
    done(await file.done)
  }
  return new StreamedString(pieces, () => file.stream.destroy(), true)
}

/**
 * A native export's answer, its file under `key`: the caps first, the file's text as it is written, then
 * what it holds. A CSV `file` is one exported with jsonText (its bytes already escaped).
 */
function exportAnswer<K extends 'csv' | 'base64'>(key: K, fileName: string, file: ExportStream) {
  let outcome: ExportOutcome = { rows: 0, bytesCut: false }
  const text = exportText(file, key === 'csv' ? 'json-text' : 'base64', (o) => (outcome = o))
  const answer = {
    fileName,
    rowCap: file.rowCap,
    byteCap: file.byteCap,
    [key]: text,
    rows: new LateValue(() => outcome.rows),
    truncated: new LateValue(() => file.truncated || outcome.bytesCut),
  }
  return answer as typeof answer & Record<K, StreamedString>
}

export function streamedOperations(jobs: JobsService): StreamedOperations {
  return {
    // the list of a job's result sets carries every set's columns: written set by set, as stored
    'jobs.results': (p, actor) => new JsonPieces(jobs.resultsJson(p.id, actor)),
    // exports stream out of the export worker into the answer: the main thread never holds a whole file (#9 §2)
    'jobs.exportResult': async (p, actor, signal) => {
      const { fileName, file } = await jobs.exportFile('csv', p.id, actor, p.index, p.limit, p, true, signal)
      return exportAnswer('csv', fileName, file)
    },
    'jobs.exportXlsx': async (p, actor, signal) => {
      const { fileName, file } = await jobs.exportFile('xlsx', p.id, actor, p.index, p.limit, p, false, signal)
      return exportAnswer('base64', fileName, file)
    },
    'jobs.logText': (p, actor) => {
      const log = jobs.logTextPieces(p.id, actor, p.task)
      return { fileName: log.fileName, text: new StreamedString(log.pieces), lines: new LateValue(log.lines) }
    },
  }
}
