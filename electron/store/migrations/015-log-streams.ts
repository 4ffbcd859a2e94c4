// The stream a log line came from (trial of #13.5): the log view tells a task's stderr from its
// stdout (a stderr line that states no level is logged as INFO, see executors/stderr-level.ts, and
// looked like stdout). Lines logged before, and the engine's own lines, are stdout. ADD COLUMN with
// a constant default rewrites no row, so a large log table migrates at once.
export default `
ALTER TABLE log_lines ADD COLUMN stream TEXT NOT NULL DEFAULT 'stdout' CHECK (stream IN ('stdout', 'stderr'));
`
