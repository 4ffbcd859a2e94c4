// Redos taken while their execution is cancelling (#9 LOW): Rill Flow takes a redo whatever the DAG's
// state, so redo.json of a cancelling execution answers {"result":"ok"} and the redo runs once the
// cancel has ended. It was held in memory only, lost when JobDesk stopped before the cancel settled;
// now it is a row here, written before the answer and deleted once run (the next start runs what is
// left, workflows/rillflow/service.ts). Gone with its job. IF NOT EXISTS: harmless if run again.
export default `
CREATE TABLE IF NOT EXISTS pending_redos (
  id INTEGER PRIMARY KEY,
  job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  names TEXT,
  context TEXT,
  patch_chars INTEGER NOT NULL DEFAULT 0,
  patch_extra INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS pending_redos_by_job ON pending_redos (job_id, id);
`
