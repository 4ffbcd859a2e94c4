// What one user's unfinished jobs hold in memory is bounded in bytes too (shared/quotas.ts
// MAX_HELD_WORK_PER_USER.bytes, atk18): 10,001 waiting tasks each mapping a list of 2,000 small
// objects held 1.25 GiB of heap within the bounds of jobs and tasks. What such a job holds is what it
// stores: jobs.state_bytes (migration 037). user_live_state_bytes keeps, per submitter, the sum of
// state_bytes over their unfinished jobs (queued, running, cancelling), so that the check made at
// every engine commit (engine/kept-bytes-guard.ts) and every submit reads one row. One trigger on
// jobs follows a change of status or of state_bytes, in any order or both in one UPDATE: it adds what
// the row counts now and takes off what it counted before; a status save that changes neither (the
// common one) only evaluates its WHEN. An insert of a live job and a delete of one are followed too.
// Existing databases: the totals are counted afresh (harmless to run again).
import type { Db } from '../connection'

/** What a row of jobs, as `r` (new or old) has it, counts: its state bytes while it is unfinished. */
const LIVE = (r: string) => `(CASE WHEN ${r}.status IN ('queued', 'running', 'cancelling') THEN ${r}.state_bytes ELSE 0 END)`
const ADD = (delta: string, submitter: string) =>
  `INSERT INTO user_live_state_bytes (submitter, bytes) VALUES (${submitter}, ${delta})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes;`

export default function userLiveStateBytes(db: Db): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS user_live_state_bytes (submitter TEXT PRIMARY KEY, bytes INTEGER NOT NULL) WITHOUT ROWID;
DELETE FROM user_live_state_bytes;
INSERT INTO user_live_state_bytes (submitter, bytes) SELECT submitter, sum(${LIVE('jobs')}) FROM jobs GROUP BY submitter HAVING sum(${LIVE('jobs')}) <> 0;
CREATE TRIGGER IF NOT EXISTS user_live_state_bytes_job_added AFTER INSERT ON jobs WHEN ${LIVE('new')} <> 0
BEGIN ${ADD(LIVE('new'), 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_live_state_bytes_job_changed AFTER UPDATE OF status, state_bytes ON jobs WHEN ${LIVE('new')} <> ${LIVE('old')}
BEGIN ${ADD(`${LIVE('new')} - ${LIVE('old')}`, 'new.submitter')} END;
CREATE TRIGGER IF NOT EXISTS user_live_state_bytes_job_removed BEFORE DELETE ON jobs WHEN ${LIVE('old')} <> 0
BEGIN ${ADD(`-${LIVE('old')}`, 'old.submitter')} END;
`)
}
