// Who is told that a job's stored state was written: its row, its tasks, its log, its task groups,
// or the job itself deleted. The repositories that write these call `changed` (inside the writing
// transaction: a rolled-back write only drops a view that was still right). Views kept in memory
// (finished-views.ts) listen and drop the job's views.

/** Tells listeners that a job's stored state changed. */
export interface JobChanges {
  /** Says that job `jobId`'s stored state was written or deleted. */
  changed(jobId: number): void
  /** Calls `listener` with the id of every job changed from now on. */
  listen(listener: (jobId: number) => void): void
}

export function createJobChanges(): JobChanges {
  const listeners: ((jobId: number) => void)[] = []
  return {
    changed(jobId) {
      for (const l of listeners) l(jobId)
    },
    listen(listener) {
      listeners.push(listener)
    },
  }
}
