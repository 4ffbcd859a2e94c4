// What one user's unfinished jobs hold in memory is bounded in bytes too (shared/quotas.ts
// MAX_HELD_WORK_PER_USER.bytes, atk18): 10,001 waiting tasks each mapping a list of 2,000 small
// objects held 1.25 GiB of heap within the bounds of jobs and tasks. What such a job holds is what it
// stores: jobs.state_bytes (migration 037). user_result_bytes.live_state_bytes keeps, per submitter,
// the sum of state_bytes over their unfinished jobs (queued, running, cancelling), so that the check
// made at every engine commit (engine/kept-bytes-guard.ts) and every submit reads one row.
//   - 037's trigger on a change of state_bytes (user_kept_bytes_state_changed) is made again to follow
//     a change of status too, and to keep both totals in one upsert: two upserts made each task save
//     that changes a value's size 55% slower (100 saves 0.9 -> 1.4 ms), one costs a few percent. It
//     adds what the row counts now and takes off what it counted before, status and state changed in
//     any order or in one UPDATE; a status save that changes neither (the common one) only evaluates its WHEN.
//   - an insert of a live job with state, and a delete of one, are followed by triggers of their own
// Existing databases: the live totals are counted afresh (harmless to run again).
import type { Db } from '../connection'

/** What a row of jobs, as `r` (new or old) has it, counts: its state bytes while it is unfinished. */
const LIVE = (r: string) => `(CASE WHEN ${r}.status IN ('queued', 'running', 'cancelling') THEN ${r}.state_bytes ELSE 0 END)`
const ADD = (kept: string, live: string, submitter: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes) VALUES (${submitter}, ${kept}, ${live})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes, live_state_bytes = live_state_bytes + excluded.live_state_bytes;`

export default function userLiveStateBytes(db: Db): void {
  const columns = new Set((db.prepare("SELECT name FROM pragma_table_info('user_result_bytes')").all() as { name: string }[]).map((c) => c.name))
  if (!columns.has('live_state_bytes')) db.exec('ALTER TABLE user_result_bytes ADD COLUMN live_state_bytes INTEGER NOT NULL DEFAULT 0')
  db.exec(`
UPDATE user_result_bytes SET live_state_bytes = 0;
INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes)
  SELECT submitter, 0, sum(${LIVE('jobs')}) FROM jobs WHERE true GROUP BY submitter HAVING sum(${LIVE('jobs')}) <> 0
  ON CONFLICT (submitter) DO UPDATE SET live_state_bytes = excluded.live_state_bytes;
DROP TRIGGER IF EXISTS user_kept_bytes_state_changed;
CREATE TRIGGER user_kept_bytes_state_changed AFTER UPDATE OF status, state_bytes ON jobs
  WHEN new.state_bytes <> old.state_bytes OR ${LIVE('new')} <> ${LIVE('old')}
BEGIN ${ADD('new.state_bytes - old.state_bytes', `${LIVE('new')} - ${LIVE('old')}`, 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_live_state_bytes_job_added AFTER INSERT ON jobs WHEN ${LIVE('new')} <> 0
BEGIN ${ADD('0', LIVE('new'), 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_live_state_bytes_job_removed BEFORE DELETE ON jobs WHEN ${LIVE('old')} <> 0
BEGIN ${ADD('0', `-${LIVE('old')}`, 'old.submitter')} END;
`)
}
