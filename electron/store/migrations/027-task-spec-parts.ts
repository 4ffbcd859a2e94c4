// The sub-tasks a foreach adds for each item share their definition (the descriptor's task, its
// commonMapping references expanded): a spec of more than 2,048 characters went to task_specs whole,
// once per task, so a foreach of N items over a definition holding a 0.95 MB constant wrote N copies
// of it (#9). A large list or map at a spec's top level is now a part (task_spec_parts), stored once
// per job however many of its tasks hold it; `tasks.spec_parts` maps each such spec key to its
// part's id (`{"def":17}`), and the spec text (in the row, or in task_specs) holds the other keys.
// Reads put each part back in its place, parsed once per read (store/jobs/task-rows.ts). Existing
// rows have spec_parts NULL and read as they always did. AUTOINCREMENT: a deleted part's id is never
// given again (the store caches which part holds which object, and checks the id and job before use).
export default `
CREATE TABLE task_spec_parts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  text TEXT NOT NULL
);
CREATE INDEX task_spec_parts_by_job ON task_spec_parts (job_id);
ALTER TABLE tasks ADD COLUMN spec_parts TEXT;
`
