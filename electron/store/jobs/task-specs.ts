// Where a task's spec is stored: in its tasks row when small, else once in task_specs (migration
// 019), with a script's code left in the job's input (code_in_input, migration 020), and its large
// lists and maps once per job in task_spec_parts (migration 027). The one place that knows how to
// read it back.
/**
 * The JSON characters of the largest spec kept in its task's row; a larger one is stored in
 * task_specs (migration 019), once. SQLite rewrites a whole row on every UPDATE, so a status change
 * of a task whose row held a script's code (720 kB, #9) rewrote the code; a row of a few hundred
 * bytes more shares the page a status change writes anyway. Keeping small specs in the row spares
 * a foreach of 100k tasks a second insert per task (bench/task-spec-save.ts: every spec in
 * task_specs took 15–55% more CPU to store 50,000 small tasks, at load ~10).
 */
export const TASK_SPEC_INLINE_MAX = 2048

/**
 * The JSON characters of the smallest list or map at a spec's top level stored as a part of its own
 * (task_spec_parts, migration 027) when the spec is larger than TASK_SPEC_INLINE_MAX: a part is
 * stored once per job however many of its tasks hold the same object (a foreach's sub-tasks share
 * their definition), and the task's row names it (`spec_parts`).
 */
export const TASK_SPEC_PART_MIN = 1024

/**
 * The JSON characters of the smallest list or map at a spec's top level stored as a part (whatever the
 * spec's size) when it is shared: held by more than one task of the same insert, or stored or read as a
 * part before (job-parts.ts). The sub-tasks of a foreach's N items share their definition, a few hundred
 * characters, which each row held inline: 100k rows of 349 characters, each parsed into its own copy
 * after a restart (+145 MiB of heap for a waiting 100k-item foreach, #9). Below this a part's reference
 * (`{"def":12}` in spec_parts) would save little.
 */
export const TASK_SPEC_SHARED_PART_MIN = 64

/**
 * SQL for a task's spec beside its row in tasks, aliased `t`: `FROM tasks t ${TASK_SPEC_SQL.join}`,
 * then `${TASK_SPEC_SQL.spec}` is its JSON text, wherever it is stored (the one place that knows):
 * in the row, in task_specs, or there with its code in the job's input (code_in_input, migration 020:
 * a script's code is stored once; json_set puts it back in its place, the spec's keys in their order).
 * A key stored as a part (migration 027) is null in that text; `${TASK_SPEC_SQL.parts}` maps it to its
 * part's id (JSON, or NULL when none), and task-rows.ts puts the part back, parsed once per read.
 */
export const TASK_SPEC_SQL = {
  join: 'LEFT JOIN task_specs s ON s.task_id = t.id',
  spec: `CASE WHEN s.code_in_input = 1
    THEN json_set(s.spec, '$.code', (SELECT json_extract(v.value, '$.code') FROM job_values v WHERE v.job_id = t.job_id AND v.name = 'input'))
    ELSE COALESCE(s.spec, t.spec) END`,
  parts: 't.spec_parts',
} as const

/** A whole task: its row and its spec (which may be in task_specs, with parts in task_spec_parts: task-rows.ts reads them). */
export const TASK_SELECT = `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, ${TASK_SPEC_SQL.spec} AS spec, ${TASK_SPEC_SQL.parts} AS spec_parts, t.attempt, t.max_attempts,
  t.timeout_ms, t.backoff_ms, t.input, t.output, t.error, t.runtime, t.run_after, t.started_at, t.finished_at, t.attempts
  FROM tasks t ${TASK_SPEC_SQL.join}`
