// Where a job's log was cut (its head and tail are kept) and how much went: one row per cut log.
export default `
CREATE TABLE log_truncations (
  job_id INTEGER PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
  marker_seq INTEGER NOT NULL,
  dropped_lines INTEGER NOT NULL,
  dropped_bytes INTEGER NOT NULL
);
`
