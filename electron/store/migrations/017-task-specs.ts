// A task's spec moves out of its row into task_specs, one row per task whose spec is not `{}` (#9).
// SQLite rewrites a whole row on every UPDATE: a script task's spec holds its code (a 720 kB SQL
// script), so each status change of that task rewrote the code on the main thread (1–17 ms). A spec
// is written once, at submit, and never changes; a status change now writes the small tasks row.
// The old column stays (SQLite cannot drop it cheaply) and holds '{}'. A task's delete (its job's)
// takes its spec with it. IF NOT EXISTS / OR IGNORE: harmless should another branch also number a 017.
export default `
CREATE TABLE IF NOT EXISTS task_specs (
  task_id INTEGER PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
  spec TEXT NOT NULL
);
INSERT OR IGNORE INTO task_specs (task_id, spec) SELECT id, spec FROM tasks WHERE spec <> '{}';
UPDATE tasks SET spec = '{}' WHERE spec <> '{}';
`
