// The export worker (export-worker.ts) as the exporter runs it: a worker thread, or a child process
// for a sorted view (whose sort files must not be written by the app's process).
import { randomUUID } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChild } from '../../child-process'
import { readsStore } from '../../store/store-readers'
import { newStopFlag, raiseStop, startWorker, stopThread } from '../../worker-thread'
import { type ExportWorkerInput, type ExportWorkerMessage } from './export-worker'

/** An export streams, so it needs little memory; a bound keeps a runaway one from taking the machine's. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 }

/** Where export-worker.ts is, for startWorker and startChild run from source. */
const HERE = dirname(fileURLToPath(import.meta.url))

/** A running export worker, a thread or a child process: what the exporter says to it and hears from it. */
export interface ExportRunner {
  /** Acknowledges one chunk taken: the worker keeps at most a few unacknowledged (export-worker.ts WINDOW), so a slow reader slows it. */
  ack(): void
  /** Hears each chunk, the outcome or the failure the worker sends. */
  onMessage(listener: (m: ExportWorkerMessage) => void): void
  /** Hears the worker failing to start or crashing (not an export's failure, which comes as a message). */
  onError(listener: (e: Error) => void): void
  /** Called once it has ended (after `stop`, or on its own), and whatever it left is removed. */
  onExit(listener: () => void): void
  /** Ends the worker (a thread at its next turn, THREAD_STOP_GRACE_MS at most; a child killed at once): what it was writing is abandoned. */
  stop(): void
}

/**
 * The export worker as a thread (an export that sorts nothing: no temporary files), stopped with
 * stopThread (seen in CI: terminated as it prepared its first statement, it aborted the process) after
 * its stop flag is raised, which it reads inside a filter's search too (one SQLite call of seconds: a
 * filter matching no row of 200,000 took 2.4 s to hear the message alone).
 */
export function threadRunner(input: ExportWorkerInput): ExportRunner {
  const stopFlag = newStopFlag()
  const worker = startWorker('export-worker', HERE, { ...input, stopFlag } satisfies ExportWorkerInput, WORKER_LIMITS)
  const ended = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  const stop = () => {
    raiseStop(stopFlag)
    void stopThread(worker)
  }
  readsStore(input.storeFile, { stop, ended })
  return {
    ack: () => worker.postMessage('ack'),
    onMessage: (listener) => void worker.on('message', listener),
    onError: (listener) => void worker.on('error', listener),
    onExit: (listener) => void worker.on('exit', listener),
    stop,
  }
}

/**
 * The export worker as a child process with SQLITE_TMPDIR a folder of its own under `sortRoot` (a
 * sorted view: SQLite's sorter spills to temporary files, 130 MB for 2,000 rows of 64 kB, and none of
 * that file I/O is done by the app's process). The folder is removed once the child has ended, however
 * it ended (done, failed, stopped by a client that hung up).
 */
export function childRunner(input: ExportWorkerInput, sortRoot: string): ExportRunner {
  const dir = join(sortRoot, randomUUID())
  mkdirSync(dir, { recursive: true })
  let child: ReturnType<typeof startChild>
  try {
    child = startChild('export-worker', HERE, { env: { SQLITE_TMPDIR: dir } })
  } catch (e) {
    rmSync(dir, { recursive: true, force: true })
    throw e
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const removed = exited.then(() => rmSync(dir, { recursive: true, force: true }))
  readsStore(input.storeFile, { stop: () => void child.kill('SIGKILL'), ended: removed })
  child.send(input)
  return {
    ack: () => void child.send('ack', (e) => e && child.kill('SIGKILL')),
    onMessage: (listener) => void child.on('message', listener),
    onError: (listener) => void child.on('error', listener),
    onExit: (listener) => void removed.then(listener),
    stop: () => void child.kill('SIGKILL'),
  }
}
