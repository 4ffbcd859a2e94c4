// A script job held its code twice: in its input (what the client sent, shown and listed by every
// dialect) and in its task's spec (what the executor runs), 720 kB each for a 720 kB script (#9).
// When the two are the same text, task_specs keeps the spec with `code` null and code_in_input 1;
// reads put the input's code back in its place (job.repository.ts TASK_SPEC_SQL). A job's input is
// written once, at submit, and deleted with the job, as its tasks are.
export default `
ALTER TABLE task_specs ADD COLUMN code_in_input INTEGER NOT NULL DEFAULT 0;
`
