import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ResourceLimits, Worker } from 'node:worker_threads'
import { startWorker } from '../../worker-thread'

/** Starts a graph worker (graph-worker.ts): the built entry next to the main bundle, or the source through tsx. */
export function startGraphWorker(workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  return startWorker('graph-worker', dirname(fileURLToPath(import.meta.url)), workerData, resourceLimits)
}
