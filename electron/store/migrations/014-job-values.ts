// A job's input, context and result move out of its row into job_values, one row each (#9 §2).
// SQLite rewrites a whole row on every UPDATE: with a 4 MB context (and the same again as input)
// in the jobs row, every status or progress step of that job rewrote megabytes on the main thread,
// and every read of the row walked them. Now a step writes the small jobs row, and a value is
// written only when it changes. The old columns stay (SQLite cannot drop them cheaply) and hold NULL.
// IF NOT EXISTS / OR IGNORE: harmless at any position, should another branch also number a 014.
export default `
CREATE TABLE IF NOT EXISTS job_values (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  name TEXT NOT NULL CHECK (name IN ('input', 'context', 'result')),
  value TEXT NOT NULL,
  PRIMARY KEY (job_id, name)
);
INSERT OR IGNORE INTO job_values (job_id, name, value) SELECT id, 'input', input FROM jobs WHERE input IS NOT NULL;
INSERT OR IGNORE INTO job_values (job_id, name, value) SELECT id, 'context', context FROM jobs WHERE context IS NOT NULL;
INSERT OR IGNORE INTO job_values (job_id, name, value) SELECT id, 'result', result FROM jobs WHERE result IS NOT NULL;
UPDATE jobs SET input = NULL, context = NULL, result = NULL WHERE input IS NOT NULL OR context IS NOT NULL OR result IS NOT NULL;
`
