// A Rill Flow submit stores its context once (#9 §2). The context of a submitted execution is the
// submitted body (its input) with `flow_execution_id` added: a 3.9 MB body was written twice, as
// the input and as the context, and the second copy was most of the submit's hold on the main
// thread. A context row may now hold only its tail: `input_prefix` set, its value is the first
// `input_prefix` bytes of the job's input followed by `value` (store/jobs/job-records.ts
// VALUE_TEXT_SQL reads it so). The context's first write (an execution's mapping changes it) stores
// it whole and clears `input_prefix`; the input is written once, with the job, and never rewritten.
// `route_keys` (of a context row): 1 when the value is a JSON object with a top-level key starting
// with `__`, 0 when not, NULL when not known (rows from before: then SQLite walks it, as it did);
// known at write time, a finished job's first view no longer walks megabytes of JSON to find it.
// Both columns are NULL in existing rows, which read as they always did.
export default `
ALTER TABLE job_values ADD COLUMN input_prefix INTEGER;
ALTER TABLE job_values ADD COLUMN route_keys INTEGER;
`
