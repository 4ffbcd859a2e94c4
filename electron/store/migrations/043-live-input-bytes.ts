// What a user's unfinished jobs hold (user_result_bytes.live_state_bytes, migration 041, the figure
// shared/quotas.ts MAX_HELD_WORK_PER_USER.bytes bounds) counts each unfinished job's input too: its
// submitted context or code (jobs.input_bytes, written once at submit, migration 036), twice. A Rill
// Flow execution holds its context parsed twice while it is live: as its input and as the context its
// tasks write into (a copy sharing no list or map with it: workflows/rillflow/service.ts submit; a
// restart parses both from the store), and the stored context, kept as a tail after the input, counts
// only that tail in state_bytes. Other jobs are counted by the same rule: their inputs are small.
// Before, jobs.state_bytes left the input out: 90 waiting Rill Flow executions of a 1 MB context each
// were all accepted with 0.0 MiB counted, +702 MiB of heap (heap19).
// 041's three triggers are made again with the new figure, and the live totals counted afresh.
import type { Db } from '../connection'

/** What a row of jobs, as `r` (new or old) has it, holds: its input (twice) and state bytes while it is unfinished. */
const LIVE = (r: string) => `(CASE WHEN ${r}.status IN ('queued', 'running', 'cancelling') THEN ${r}.state_bytes + 2 * ${r}.input_bytes ELSE 0 END)`
const ADD = (kept: string, live: string, submitter: string) =>
  `INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes) VALUES (${submitter}, ${kept}, ${live})
     ON CONFLICT (submitter) DO UPDATE SET bytes = bytes + excluded.bytes, live_state_bytes = live_state_bytes + excluded.live_state_bytes;`

export default function liveInputBytes(db: Db): void {
  db.exec(`
UPDATE user_result_bytes SET live_state_bytes = 0;
INSERT INTO user_result_bytes (submitter, bytes, live_state_bytes)
  SELECT submitter, 0, sum(${LIVE('jobs')}) FROM jobs WHERE true GROUP BY submitter HAVING sum(${LIVE('jobs')}) <> 0
  ON CONFLICT (submitter) DO UPDATE SET live_state_bytes = excluded.live_state_bytes;
DROP TRIGGER IF EXISTS user_kept_bytes_state_changed;
CREATE TRIGGER user_kept_bytes_state_changed AFTER UPDATE OF status, state_bytes, input_bytes ON jobs
  WHEN new.state_bytes <> old.state_bytes OR ${LIVE('new')} <> ${LIVE('old')}
BEGIN ${ADD('new.state_bytes - old.state_bytes', `${LIVE('new')} - ${LIVE('old')}`, 'new.submitter')} END;
DROP TRIGGER IF EXISTS user_live_state_bytes_job_added;
CREATE TRIGGER user_live_state_bytes_job_added AFTER INSERT ON jobs WHEN ${LIVE('new')} <> 0
BEGIN ${ADD('0', LIVE('new'), 'new.submitter')} END;
DROP TRIGGER IF EXISTS user_live_state_bytes_job_removed;
CREATE TRIGGER user_live_state_bytes_job_removed BEFORE DELETE ON jobs WHEN ${LIVE('old')} <> 0
BEGIN ${ADD('0', `-${LIVE('old')}`, 'old.submitter')} END;
`)
}
