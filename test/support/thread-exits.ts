import type { Worker } from 'node:worker_threads'

/**
 * Watches every worker thread this process starts from now on (Node's `process` 'worker' event), so a
 * test can tell a thread that ended itself (exit code 0: process.exit in the thread, exitOnStop) from
 * one terminated from outside (exit code 1), without reaching into the code that owns the thread.
 * `exits()` resolves with the exit codes of the threads started so far once all have ended; call
 * `stop()` when done (afterEach).
 */
export function watchThreadExits(): { readonly started: number; exits(): Promise<number[]>; stop(): void } {
  const ended: Promise<number>[] = []
  const onWorker = (worker: Worker) => ended.push(new Promise((resolve) => worker.once('exit', resolve)))
  process.on('worker', onWorker)
  return {
    get started() {
      return ended.length
    },
    exits: () => Promise.all(ended),
    stop: () => void process.off('worker', onWorker),
  }
}
