// What one user's jobs keep in all: the one figure the per-user quota (shared/quotas.ts
// MAX_KEPT_BYTES_PER_USER) reads, on every submit (app.ts admit), every batch of result rows
// stored (result.repository.ts append) and every engine commit that grows a job's state
// (engine/kept-bytes-guard.ts). It is a running total per submitter that triggers keep in the database
// (user_result_bytes, its name from its first use), so that every connection that writes keeps it and a
// read is one row. It counts, per job still stored:
//   - result rows: UTF-8 bytes of stored row JSON of the sets readers see (migration 034; characters for sets written before 2026-12-05)
//   - its input (code or submitted context) from its submit, and its log once all written (migration 036)
//   - its state: tasks' inputs, outputs and runtimes, its context and result, groups' sub-contexts and
//     the parts they share, as they are written (migration 037, jobs.state_bytes), and tasks' specs,
//     in their rows or in task_specs (migration 039: a foreach's stored 74 MiB against a 4 MiB quota, atk17)
// A deleted job's share, and result sets a rerun dropped, stop counting at once, before their rows are swept.
// Of that, the state of a user's unfinished jobs (queued, running, cancelling) is kept apart too
// with their inputs, weighed by their shape (migrations 041, 043, 046: user_result_bytes.live_state_bytes):
// what shared/quotas.ts MAX_HELD_WORK_PER_USER.bytes reads.
import type { Statement } from 'better-sqlite3'
import type { Db } from './connection'

export type KeptBytes = ReturnType<typeof createKeptBytes>

/** Reads of what users' jobs keep (see the file's head for what is counted). */
export function createKeptBytes(db: Db) {
  // prepared at first use, so that a store of an older schema still opens (the upgrade tests do)
  let bySubmitter: Statement<[string], number> | undefined
  let byJob: Statement<[number], number> | undefined
  let liveBySubmitter: Statement<[string], number> | undefined
  let heldOfJob: Statement<[number], number> | undefined
  return {
    /** What `submitter`'s jobs keep in all, in bytes; 0 for a user with none. */
    ofSubmitter(submitter: string): number {
      bySubmitter ??= db.prepare<[string], number>('SELECT coalesce((SELECT bytes FROM user_result_bytes WHERE submitter = ?), 0)').pluck()
      return bySubmitter.get(submitter)!
    },
    /** Bytes of the input and state of `submitter`'s unfinished (queued, running, cancelling) jobs in all (heldByJob of each: migrations 043, 046); 0 for none. */
    liveStateOf(submitter: string): number {
      liveBySubmitter ??= db.prepare<[string], number>('SELECT coalesce((SELECT live_state_bytes FROM user_result_bytes WHERE submitter = ?), 0)').pluck()
      return liveBySubmitter.get(submitter)!
    },
    /** What job `jobId` counts in its user's held work while unfinished (migrations 043, 046: twice the more of its input_bytes and input_weight, its state_bytes and state_weight); 0 for no such job. */
    heldByJob(jobId: number): number {
      heldOfJob ??= db.prepare<[number], number>('SELECT coalesce((SELECT 2 * max(input_bytes, input_weight) + state_bytes + state_weight FROM jobs WHERE id = ?), 0)').pluck()
      return heldOfJob.get(jobId)!
    },
    /** Bytes of job `jobId`'s state (migrations 037, 039: tasks' values and specs, context and result, groups' sub-contexts, parts); 0 for no such job. */
    stateOfJob(jobId: number): number {
      byJob ??= db.prepare<[number], number>('SELECT coalesce((SELECT state_bytes FROM jobs WHERE id = ?), 0)').pluck()
      return byJob.get(jobId)!
    },
  }
}
