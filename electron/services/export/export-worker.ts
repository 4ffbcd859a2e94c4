// The export worker: writes one big result set (write-file.ts), reading it from the store in pages,
// and hands the bytes to the main thread in chunks it acknowledges, so a slow reader slows the worker
// down instead of filling memory, and neither a million rows nor zip compression blocks the event
// loop. A worker thread (its input in workerData), or, for a sorted view, a child process (its input
// the first IPC message; exporter.ts): SQLite's sort of a big set spills to temporary files (130 MB
// for 2,000 rows of 64 kB), and that file I/O is kept out of the app's process, in a folder of the
// app's data dir the child is given as SQLITE_TMPDIR.
import { Writable } from 'node:stream'
import { parentPort, workerData } from 'node:worker_threads'
import { dieWithParent } from '../../child-process'
import { createResultQueries } from '../../store/result-query'
import { createResultRepository } from '../../store/result.repository'
import { openStoreReader } from '../../store/store-readers'
import { exitOnStop, movedMemory, stopFlagCheck, ThreadStopped, yieldToMainThread, type StopFlag } from '../../worker-thread'
import { jsonTextEncoder } from './json-text'
import { writeExport, type ExportJob, type ExportOutcome, type Sink } from './write-file'

export interface ExportWorkerInput extends ExportJob {
  storeFile: string
  /** Send the file's bytes as the escaped inside of a JSON string (json-text.ts), for an answer that carries the file as one. */
  jsonText?: boolean
  /**
   * A thread's stop flag (export-runner.ts threadRunner), read before each statement and for each row a
   * filter's search reaches: its port carries acknowledgements, which throwIfStopped would drop. None
   * in a child process, which is killed (SIGKILL ends it wherever it is, and nothing but it).
   */
  stopFlag?: StopFlag
}

/** main → worker: one chunk was taken, send more. worker → main: bytes, the end (with what was written), or what went wrong. */
export type ExportWorkerMessage = { type: 'chunk'; data: Uint8Array } | { type: 'end'; outcome: ExportOutcome } | { type: 'error'; message: string }

const CHUNK = 64 * 1024
const WINDOW = 2 // chunks in flight before the worker waits for an acknowledgement

/** The way to the main thread: this thread's port, or this child process's IPC channel. */
interface Channel {
  post(m: ExportWorkerMessage, transfer?: ArrayBuffer[]): void
  on(listener: (m: unknown) => void): void
}
const port: Channel = parentPort
  ? { post: (m, transfer) => parentPort!.postMessage(m, transfer ?? []), on: (listener) => parentPort!.on('message', listener) }
  : { post: (m) => void process.send!(m), on: (listener) => void process.on('message', listener) }

/**
 * A Writable whose bytes go to the main thread in 64 KiB chunks (escaped as JSON text with `jsonText`),
 * at most WINDOW unacknowledged; each chunk's memory moves to the main thread, not a copy of it.
 */
function portSink(jsonText: boolean): Sink {
  let parts: Buffer[] = []
  let size = 0
  let inFlight = 0
  let waiting: (() => void)[] = []
  const text = jsonText ? jsonTextEncoder() : undefined
  port.on((m) => {
    if (m !== 'ack') return
    inFlight--
    const w = waiting
    waiting = []
    for (const f of w) f()
  })
  const room = () => (inFlight < WINDOW ? Promise.resolve() : new Promise<void>((r) => waiting.push(r)))
  const send = async (last: boolean) => {
    const bytes = Buffer.concat(parts, size)
    parts = []
    size = 0
    const data = text ? (last ? Buffer.concat([text.write(bytes), text.end()]) : text.write(bytes)) : bytes
    if (!data.length) return
    await room()
    inFlight++
    port.post({ type: 'chunk', data } satisfies ExportWorkerMessage, movedMemory(data))
  }
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk)
      size += chunk.length
      if (size < CHUNK) return cb()
      send(false).then(() => cb(), cb)
    },
    final(cb) {
      send(true).then(() => cb(), cb)
    },
  })
  return Object.assign(sink, { ready: room })
}

async function main(input: ExportWorkerInput): Promise<void> {
  const stopCheck = input.stopFlag ? stopFlagCheck(input.stopFlag) : undefined
  const db = openStoreReader(input.storeFile, stopCheck ?? (() => undefined))
  const results = createResultRepository(db)
  let cursor: ReturnType<ReturnType<typeof createResultQueries>['cursor']> | null = null
  let outcome: ExportOutcome
  try {
    // stored order: a short read per page, no long snapshot; sorted or filtered: one statement for the
    // whole file, as each page's own query would sort or search the whole set again (#9 §2)
    cursor = input.query ? createResultQueries(db, { stopCheck }).cursor(input.set.id, input.query) : null
    outcome = await writeExport(input, portSink(input.jsonText === true), (offset, limit) => (cursor ? cursor.read(offset, limit) : results.rows(input.set, offset, limit)))
  } finally {
    try {
      cursor?.close() // its COMMIT is a statement: a stopped thread's check throws there too
    } finally {
      db.close()
    }
  }
  port.post({ type: 'end', outcome } satisfies ExportWorkerMessage)
}

// stopped: nobody waits for the file; the thread ends itself (as exitOnStop would at the stop's message)
const run = (input: ExportWorkerInput) =>
  main(input).catch((e: Error) => (e instanceof ThreadStopped ? process.exit(0) : port.post({ type: 'error', message: e.message } satisfies ExportWorkerMessage)))
yieldToMainThread()
exitOnStop({ endsWhenIdle: false }) // it waits for acknowledgements
if (parentPort) void run(workerData as ExportWorkerInput)
else {
  dieWithParent()
  process.once('message', (input: ExportWorkerInput) => void run(input))
}
