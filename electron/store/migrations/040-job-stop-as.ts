// The state a job being stopped ends in (engine.ts beginStop): its tasks end a tick's slice at a time,
// the job `cancelling` meanwhile, and a restart in the middle ends the rest (recovery.ts). A cancel
// ends cancelled (NULL here); a stop on the engine's own account ends as it said: failed (a fault, a
// quota), timed_out (its queue timeout), or as a Rill Flow complete_dag.json asked, with the stored
// error as its reason. Before, such a stop ended all of a job's tasks in one turn (603 ms for 100k tasks).
export default `
ALTER TABLE jobs ADD COLUMN stop_as TEXT CHECK (stop_as IN ('succeeded', 'failed', 'timed_out'));
`
