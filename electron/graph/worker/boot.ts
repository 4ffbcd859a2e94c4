import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResourceLimits, Worker } from 'node:worker_threads'
import { startWorker, stopThread } from '../../worker-thread'

/** Starts a graph worker (graph-worker.ts): the built entry next to the main bundle, or the source through tsx. */
export function startGraphWorker(workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  return startWorker('graph-worker', dirname(fileURLToPath(import.meta.url)), workerData, resourceLimits)
}

/**
 * How long a graph worker asked to stop may take before it is terminated (ms). Shorter than
 * THREAD_STOP_GRACE_MS: a running query, import or algorithm has already been told to stop through its
 * flag in shared memory (and usually had a grace of its own); this only bounds one stuck in a loop that
 * reads no flag (graphology's Louvain between two of its levels) or in one long SQLite statement.
 */
export const GRAPH_WORKER_STOP_GRACE_MS = 1_500

/**
 * Ends a graph worker, which opens graph files (SQLite): asked to end itself (stopThread; it exits
 * between two SQLite calls), terminated only after `graceMs`, since a thread terminated inside a
 * better-sqlite3 call that throws aborts the whole process. Resolves once it has ended.
 */
export function stopGraphWorker(worker: Worker, graceMs = GRAPH_WORKER_STOP_GRACE_MS): Promise<void> {
  return stopThread(worker, graceMs)
}
