// What a user's jobs keep as the per-user quota counts it (shared/quotas.ts MAX_KEPT_BYTES_PER_USER:
// result rows, code, logs and state), taken apart for the tests of the quota of result rows.
import type { Store } from '../../electron/store'

/**
 * What `submitter`'s jobs keep without their logs (result rows and code): what a result cut read
 * while none of their logs was counted yet (a log counts once its job's log is all written).
 */
export function keptButLogs(store: Store, submitter: string): number {
  const logs = store.db.prepare('SELECT coalesce(sum(log_bytes), 0) FROM jobs WHERE submitter = ?').pluck().get(submitter) as number
  return store.keptBytes.ofSubmitter(submitter) - logs
}

/** What job `id` keeps as its submitter's quota counts it: its result rows, its input, its counted log and its state. */
export function keptByJob(store: Store, id: number): number {
  return store.results.bytes(id) + (store.db.prepare('SELECT input_bytes + log_bytes + state_bytes FROM jobs WHERE id = ?').pluck().get(id) as number)
}
