// A task's spec of more than 2,048 JSON characters moves out of its row into task_specs (#9).
// SQLite rewrites a whole row on every UPDATE: a script task's spec holds its code (a 720 kB SQL
// script), so each status change of that task rewrote the code on the main thread (1–17 ms). Such
// a spec is written once, at submit, and never changes; a status change now writes a small row.
// Smaller specs stay in the row (job.repository.ts TASK_SPEC_INLINE_MAX says why); the column of a
// moved one holds '{}'. A task's delete (its job's) takes its spec with it.
// IF NOT EXISTS / OR IGNORE: harmless if run on a store that already has the table.
export default `
CREATE TABLE IF NOT EXISTS task_specs (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  spec TEXT NOT NULL
);
INSERT OR IGNORE INTO task_specs (task_id, spec) SELECT id, spec FROM tasks WHERE length(spec) > 2048;
UPDATE tasks SET spec = '{}' WHERE length(spec) > 2048;
`
