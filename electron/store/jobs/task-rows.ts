// A job's tasks rows: inserting them (with their specs, task-specs.ts), reading them whole or as
// views read them (task-values.ts), saving a task's state, deleting run-time tasks.
import { invalid } from '../../../shared/errors'
import { TASK_STATUSES, type TaskStatus } from '../../../shared/status'
import { toJson, type Db } from '../connection'
import type { JobChanges } from '../job-changes'
import { jsonShapeOf } from '../../../shared/json-limits'
import { heldWeightPastChars, stateJsonShaped } from '../state-json'
import { createJobParts, type JobParts } from './job-parts'
import { newTaskRecord, toTask, type NewTask, type TaskRecord, type TaskRow } from './task-records'
import { TASK_SELECT, TASK_SPEC_INLINE_MAX, TASK_SPEC_PART_MIN, TASK_SPEC_SHARED_PART_MIN } from './task-specs'
import { HIDDEN_TASKS, isDropRoot, JOB_TASK_COUNT, NEXT_TASK_ID, rangesOutside, subTaskRange, TASK_VISIBLE } from './sub-task-names'
import { createStoredTaskValues, storedValueColumns, TASK_VIEW_SELECT, type StoredValuesRow, type TaskValues } from './task-values'

/**
 * someTasks' filters, bound (jobId, names as a JSON array) and (jobId, prefix, prefix): seeks and a
 * range of the (job_id, name) key, in id order. The sort is `+t.id` so that the planner does not take
 * tasks_by_job (migration 049) for the order it gives and read every task of the job for a few names:
 * at 100k sub-tasks that read was 8.8 ms of the redo call's 71 ms, the seek 0.12 ms (#9 §2). A name
 * starting with `prefix` sorts below `prefix` + X'FF' (no UTF-8 byte is 0xFF).
 */
export const NAMED_TASKS = `t.job_id = ? AND t.name IN (SELECT value FROM json_each(?)) AND ${TASK_VISIBLE} ORDER BY +t.id`
export const PREFIXED_TASKS = `t.job_id = ? AND t.name >= ? AND t.name < ? || CAST(X'FF' AS TEXT) AND ${TASK_VISIBLE} ORDER BY +t.id`

/**
 * The tasks statements and the repository's task methods; `insertTasks` is for createJobRows (a
 * job's tasks are stored with it), not for callers. `changes` hears of every write of a job's tasks.
 */
export function createTaskRows(db: Db, changes: JobChanges, parts: JobParts = createJobParts(db)) {
  // above every dropped task's id (NEXT_TASK_ID), or it would be taken for one
  const insertTask = db.prepare(
    `INSERT INTO tasks (id, job_id, name, executor, status, depends_on, spec, spec_parts, max_attempts, timeout_ms, backoff_ms, input, value_weight)
     VALUES (${NEXT_TASK_ID}, @jobId, @name, @executor, @status, @dependsOn, @spec, @specParts, @maxAttempts, @timeoutMs, @backoffMs, @input, @valueWeight)`,
  )
  // a dropped task of the name a new one takes (a redone foreach's sub-task): one row by the (job_id, name) index
  const deleteDroppedNamed = db.prepare<{ jobId: number; name: string }>(`DELETE FROM tasks AS t WHERE job_id = @jobId AND name = @name AND NOT ${TASK_VISIBLE}`)
  const hasDrops = db.prepare<[number], number>('SELECT EXISTS (SELECT 1 FROM dropped_tasks WHERE job_id = ?)').pluck()
  // a large spec, written once at submit: nothing rewrites it (saveTask writes the tasks row only)
  const insertSpec = db.prepare<[number, string, number]>('INSERT INTO task_specs (task_id, spec, code_in_input) VALUES (?, ?, ?)')
  const selectTaskValueBytes = db.prepare<[number], { input: number | null; output: number | null }>(
    'SELECT octet_length(input) AS input, octet_length(output) AS output FROM tasks WHERE id = ?',
  )
  const selectTasks = db.prepare<[number], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? AND ${TASK_VISIBLE} ORDER BY t.id`)
  // a page of them by id, for a restart's recovery that reads a job of 100k tasks over several turns
  const selectTasksAfter = db.prepare<[number, number, number], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? AND t.id > ? AND ${TASK_VISIBLE} ORDER BY t.id LIMIT ?`)
  // what a TaskView shows: not the spec (a script's holds its code, up to 1 MB, read and parsed on every status poll, #9 §2) nor the runtime
  // (each of these views takes a LIMIT: -1 for all of a job's tasks, or a detail's first ones)
  const selectTasksWithoutSpec = db.prepare<FirstTasks, TaskRow>(
    `SELECT id, job_id, name, executor, status, depends_on, '{}' AS spec, attempt, max_attempts, timeout_ms, backoff_ms, input, output, error,
       NULL AS runtime, run_after, started_at, finished_at, attempts FROM tasks t WHERE ${FIRST_TASKS}`,
  )
  // as selectTasksWithoutSpec, with neither input nor output: a status needs the tasks' states only
  const selectTaskStates = db.prepare<FirstTasks, TaskRow>(
    `SELECT id, job_id, name, executor, status, depends_on, '{}' AS spec, attempt, max_attempts, timeout_ms, backoff_ms, NULL AS input, NULL AS output, error,
       NULL AS runtime, run_after, started_at, finished_at, attempts FROM tasks t WHERE ${FIRST_TASKS}`,
  )
  // as selectTasksWithoutSpec, with large inputs and outputs as STORED_VALUE_COLUMNS reads them (with `headFields`), or without their head fields
  const taskViewsStmt = <P extends object>(headFields: boolean, where: string) =>
    db.prepare<P, StoredValuesRow>(
      `SELECT t.id, t.job_id, t.name, t.executor, t.status, t.depends_on, '{}' AS spec, t.attempt, t.max_attempts, t.timeout_ms, t.backoff_ms,
       ${storedValueColumns(headFields)}, t.error, NULL AS runtime, t.run_after, t.started_at, t.finished_at, t.attempts FROM tasks t WHERE ${where}`,
    )
  const selectTaskViews = taskViewsStmt<FirstTasks>(true, FIRST_TASKS)
  const selectTaskSizes = taskViewsStmt<FirstTasks>(false, FIRST_TASKS)
  // taskPage's reads, made when first used: of one state or of all, read forward or backward, with or without TASK_VISIBLE's test
  const pageStmts = new Map<string, ReturnType<typeof taskViewsStmt<PageRange>>>()
  const pageViews = (one: boolean, backward: boolean, dropped: boolean) => {
    const key = `${one}${backward}${dropped}`
    let stmt = pageStmts.get(key)
    if (!stmt) pageStmts.set(key, (stmt = taskViewsStmt<PageRange>(true, pageRange(one, backward, dropped))))
    return stmt
  }
  // someTasks' reads, whole, with large inputs and outputs as STORED_VALUE_COLUMNS reads them
  const selectNamedTaskViews = db.prepare<[number, string], StoredValuesRow>(`${TASK_VIEW_SELECT} WHERE ${NAMED_TASKS}`)
  const selectPrefixedTaskViews = db.prepare<[number, string, string], StoredValuesRow>(`${TASK_VIEW_SELECT} WHERE ${PREFIXED_TASKS}`)
  const { toStoredTask } = createStoredTaskValues(db)
  const countTasks = db.prepare<[number], { n: number }>(`SELECT ${JOB_TASK_COUNT} AS n FROM jobs j WHERE j.id = ?`)
  // every row counted from the (job_id, status) index alone (migration 044), less the hidden ones: TASK_VISIBLE's test of
  // each row read every task of a job of 120,000 (the count of a detail, 156-161 ms with its first tasks, #9 §2)
  const countAllByStatus = db.prepare<{ jobId: number }, { status: TaskStatus; n: number }>('SELECT status, count(*) AS n FROM tasks WHERE job_id = @jobId GROUP BY status')
  const countHiddenByStatus = db.prepare<{ jobId: number }, { status: TaskStatus; n: number }>(`SELECT t.status, count(*) AS n FROM ${HIDDEN_TASKS} GROUP BY t.status`)
  // taskCountsByStatus below
  const taskCountsByStatus = (jobId: number): Partial<Record<TaskStatus, number>> => {
    const counts: Partial<Record<TaskStatus, number>> = Object.fromEntries(countAllByStatus.all({ jobId }).map((r) => [r.status, r.n]))
    if (!hasDrops.get(jobId)) return counts
    for (const { status, n } of countHiddenByStatus.all({ jobId })) {
      const left = counts[status]! - n
      if (left > 0) counts[status] = left
      else delete counts[status]
    }
    return counts
  }
  // by the tasks_retrying index (migration 045): a seek, not a read of the job's tasks
  const retryingTask = db.prepare<[number], number>(`SELECT EXISTS (SELECT 1 FROM tasks t WHERE job_id = ? AND status = 'queued' AND attempt > 0 AND ${TASK_VISIBLE})`).pluck()
  const updateTask = db.prepare(
    `UPDATE tasks SET status = @status, attempt = @attempt, input = @input, output = @output, error = @error,
       runtime = @runtime, run_after = @runAfter, started_at = @startedAt, finished_at = @finishedAt, attempts = @attempts, value_weight = @valueWeight WHERE id = @id`,
  )
  const deleteTask = db.prepare('DELETE FROM tasks WHERE job_id = ? AND name = ?')
  const selectNamedTasks = db.prepare<[number, string], TaskRow>(`${TASK_SELECT} WHERE ${NAMED_TASKS}`)
  const selectPrefixedTasks = db.prepare<[number, string, string], TaskRow>(`${TASK_SELECT} WHERE ${PREFIXED_TASKS}`)
  const selectTaskByName = db.prepare<[number, string], TaskRow>(`${TASK_SELECT} WHERE t.job_id = ? AND t.name = ? AND ${TASK_VISIBLE}`)
  // a range of the (job_id, name) index; an open end is '' or X'FF' (above any UTF-8 text)
  const selectTasksInRange = db.prepare<{ jobId: number; from: string | null; to: string | null }, TaskRow>(
    `${TASK_SELECT} WHERE t.job_id = @jobId AND t.name >= coalesce(@from, '') AND t.name < coalesce(@to, CAST(X'FF' AS TEXT)) AND ${TASK_VISIBLE}`,
  )
  const nextTaskId = db.prepare<[], number>(`SELECT ${NEXT_TASK_ID}`).pluck()
  // whether a root has anything to drop: a sub-task (a seek of the (job_id, name) key) or a group of
  // it or of a sub-task (two seeks of task_groups' (job_id, parent, idx) key)
  const hasSubRows = db.prepare<{ jobId: number; root: string; from: string; to: string }, number>(
    `SELECT EXISTS (SELECT 1 FROM tasks WHERE job_id = @jobId AND name >= @from AND name < @to)
         OR EXISTS (SELECT 1 FROM task_groups WHERE job_id = @jobId AND parent = @root)
         OR EXISTS (SELECT 1 FROM task_groups WHERE job_id = @jobId AND parent >= @from AND parent < @to)`,
  ).pluck()
  // a root's earlier drop, which the new one replaces: it hides less (a lower below_id and seq)
  const clearDrop = db.prepare<{ jobId: number; root: string }>('DELETE FROM dropped_tasks WHERE job_id = @jobId AND root = @root')
  const noteDrop = db.prepare<{ jobId: number; root: string; below: number }>('INSERT INTO dropped_tasks (job_id, root, below_id) VALUES (@jobId, @root, @below)')
  const clearFloor = db.prepare('DELETE FROM task_id_floor')
  const setFloor = db.prepare<[number]>('INSERT INTO task_id_floor (id) VALUES (?)')

  /**
   * Inserts tasks of a job and returns their stored records; call inside a transaction. Each record
   * is made from the row as written, not read back (RETURNING *): a script's spec holds its code,
   * up to 1 MB, and reading it back and parsing it held the main thread ~40 ms per submission (#9 §2).
   * So a task's `spec` and `dependsOn` become its record's as given (the caller must not change them
   * afterwards, nor the objects the spec holds); its input is parsed from the text written, a copy, as
   * a read would give. A large spec whose `code` is `inputCode` (the job's input's code, just stored)
   * is stored without it (TASK_SPEC_SQL reads it back from the input): a script's code is stored once.
   * A spec larger than TASK_SPEC_INLINE_MAX has its top-level lists and maps of TASK_SPEC_PART_MIN
   * characters or more stored as parts, once per job for the same object (migration 027): the
   * sub-tasks of a foreach's N items share one definition, serialized and stored once, not N times.
   * A list or map that is shared (held by more than one spec of `tasks`, or stored or read as a part
   * before) is a part whatever the spec's size, from TASK_SPEC_SHARED_PART_MIN characters: a foreach's
   * small sub-task definition too is stored once, and read back as one object for all its tasks.
   * A task of a name a redo dropped (dropSubTasks) takes it back: the dropped row of that name goes
   * first; every new id is above every dropped task's (NEXT_TASK_ID).
   */
  function insertTasks(jobId: number, tasks: NewTask[], inputCode?: string): TaskRecord[] {
    changes.changed(jobId)
    const written = new Map<object, string>() // texts of the specs' parts, by part: tasks of one call share them
    const checked = new Set<number>()
    const dropped = hasDrops.get(jobId) === 1 // else no task of the job is hidden: no name to free
    const shared = sharedObjects(tasks)
    return tasks.map((t) => {
      const rec = newTaskRecord(jobId, t, 0)
      const entries = specEntries(rec.spec, written, parts)
      let specParts: Record<string, number> | null = null
      const large = jsonLength(entries) > TASK_SPEC_INLINE_MAX
      for (const e of entries) {
        if (!e.object) continue
        if ((large && e.text.length >= TASK_SPEC_PART_MIN) || (e.text.length >= TASK_SPEC_SHARED_PART_MIN && (shared.has(e.object) || e.known))) {
          ;(specParts ??= {})[e.key] = parts.id(jobId, e.object, e.text, checked)
          e.text = 'null' // its place, so that a read puts the part back where it was
        }
      }
      const specText = entriesJson(entries)
      const inline = specText.length <= TASK_SPEC_INLINE_MAX
      const row = { jobId, name: rec.name, executor: rec.executor, status: rec.status, dependsOn: JSON.stringify(rec.dependsOn), spec: inline ? specText : '{}', specParts: specParts && JSON.stringify(specParts), maxAttempts: rec.maxAttempts, timeoutMs: rec.timeoutMs, backoffMs: rec.backoffMs, input: toJson(rec.input), valueWeight: 0 }
      // a task's input given at submit is small (a script's code: one string); what it holds by its nodes is weighed from its first save on
      if (row.input !== null && row.input.length > 1024) row.valueWeight = heldWeightPastChars({ text: row.input, shape: jsonShapeOf(row.input) })
      if (dropped) deleteDroppedNamed.run({ jobId, name: rec.name })
      rec.id = Number(insertTask.run(row).lastInsertRowid)
      if (!inline) {
        const codeInInput = inputCode !== undefined && rec.spec.code === inputCode
        insertSpec.run(rec.id, codeInInput ? entriesJson(entries.map((e) => (e.key === 'code' ? { ...e, text: 'null' } : e))) : specText, codeInInput ? 1 : 0)
      }
      return rec
    })
  }

  /**
   * Records of rows read with TASK_SELECT or TASK_VIEW_SELECT (made by `toRecord`), their specs' parts
   * put back: each part is parsed once and shared by the tasks of the read, and by later reads while
   * it is kept (job-parts.ts: a status poll of a running foreach parsed its definition every time),
   * read-only, as specs are. Rows of one read whose specs with parts are the same text share one spec.
   */
  function withParts<R extends TaskRow>(rows: Iterable<R>, toRecord: (r: R) => TaskRecord): TaskRecord[] {
    const read = new Map<number, unknown>()
    // rows of the same spec with parts (a foreach's sub-tasks of one definition) share one spec object, as the engine's do (insertTasks)
    const specs = new Map<string, Record<string, unknown>>()
    const tasks: TaskRecord[] = []
    for (const r of rows) {
      if (!r.spec_parts) {
        tasks.push(toRecord(r))
        continue
      }
      const same = `${r.spec_parts}\u0000${r.spec}`
      const known = specs.get(same)
      if (known) {
        // its spec is known: not parsed again (100,000 sub-tasks of one definition parsed it 100,000 times)
        r.spec = '{}' // the row is this read's own
        const task = toRecord(r)
        task.spec = known
        tasks.push(task)
        continue
      }
      const task = toRecord(r)
      for (const [key, id] of Object.entries(JSON.parse(r.spec_parts) as Record<string, number>)) task.spec[key] = parts.read(id, false, read)
      specs.set(same, task.spec)
      tasks.push(task)
    }
    return tasks
  }

  return {
    insertTasks,
    tasks(jobId: number): TaskRecord[] {
      // row by row, not .all(): 100,001 rows held in an array until mapped outlived the young generation, and
      // copying them there was half of reading a waiting foreach at a restart (2.4-3.1 s -> 1.3-1.6 s CPU, load ~17)
      return withParts(selectTasks.iterate(jobId), toTask)
    },
    /**
     * Up to `limit` of a job's tasks, as `tasks` reads them, of ids above `afterId` (0: from the first),
     * in id order: a page of them, so that a caller may read a job of 100k tasks over several turns of
     * the event loop (Engine.recover) and continue after the last id it got.
     */
    tasksAfter(jobId: number, afterId: number, limit: number): TaskRecord[] {
      return withParts(selectTasksAfter.iterate(jobId, afterId, limit), toTask)
    },
    /**
     * A job's tasks without their spec (`{}` in each record) and runtime (null): for views that show
     * neither (toTaskView, lists, status polls); reads the tasks rows only, never a large spec.
     * `values` says how their inputs and outputs are given (TaskValues); `limit`: the first that many (in
     * the order they were made), -1 for all.
     */
    tasksWithoutSpec(jobId: number, values: TaskValues = 'parsed', limit = -1): TaskRecord[] {
      const first = firstTasks(jobId, limit)
      if (values === 'parsed') return selectTasksWithoutSpec.all(first).map(toTask)
      if (values === 'none') return selectTaskStates.all(first).map(toTask)
      if (values === 'stored-unread') return selectTaskSizes.all(first).map((r) => toStoredTask(r, true))
      return selectTaskViews.all(first).map((r) => toStoredTask(r, values === 'stored-settled'))
    },
    /**
     * A page of a job's tasks in the order they were made: `limit` after the first `offset`, of one
     * `status` or of all (null), without their specs; large inputs and outputs as `values` says
     * (task-values.ts: 'stored-settled' for a finished job, else 'stored'). `total`: how many tasks
     * there are (of that state), as taskCountsByStatus counts them in the caller's transaction: a
     * page past it is empty at once, and a page nearer the end is read from the end. One range scan
     * of an index in id order, (job_id) for all states (migration 049), (job_id, status) for one,
     * whose skipped entries are index entries only, unless a redo's drops are noted for the job
     * (then each skipped task's name is read, for TASK_VISIBLE, until the sweep clears them): a page
     * at offset 119,500 of 120,000 tasks read 240,000 ids and sorted them (#9 §2).
     */
    taskPage(jobId: number, page: { offset: number; limit: number; status: TaskStatus | null; total: number }, values: 'stored' | 'stored-settled'): TaskRecord[] {
      const end = Math.min(page.offset + page.limit, page.total)
      if (page.offset >= end) return [] // at or past the last: nothing read
      // skip from the nearer end: a page by the last reads past (total - end) entries, not offset
      const backward = page.total - end < page.offset
      const range: PageRange = { jobId, status: page.status, limit: end - page.offset, skip: backward ? page.total - end : page.offset }
      const rows = pageViews(page.status !== null, backward, hasDrops.get(jobId) === 1).all(range)
      return rows.map((r) => toStoredTask(r, values === 'stored-settled'))
    },
    /**
     * Some tasks of a job, without reading the others (a foreach may have made 100k): those with
     * these names (a DAG's top-level tasks), or those named `prefix…`. In the order they were made.
     */
    someTasks(jobId: number, which: { names: readonly string[] } | { prefix: string }, values: 'parsed' | 'stored' | 'stored-settled' = 'parsed'): TaskRecord[] {
      if (values !== 'parsed') {
        const rows = 'names' in which ? selectNamedTaskViews.all(jobId, JSON.stringify(which.names)) : selectPrefixedTaskViews.all(jobId, which.prefix, which.prefix)
        return withParts(rows, (r) => toStoredTask(r, values === 'stored-settled'))
      }
      const rows = 'names' in which ? selectNamedTasks.all(jobId, JSON.stringify(which.names)) : selectPrefixedTasks.all(jobId, which.prefix, which.prefix)
      return withParts(rows, toTask)
    },
    /**
     * The UTF-8 bytes of a task's stored input and output JSON (null: unset), read without reading
     * either (octet_length); undefined when there is no such task.
     */
    taskValueBytes(taskId: number): { input: number | null; output: number | null } | undefined {
      return selectTaskValueBytes.get(taskId)
    },
    /** One task of a job by name. */
    task(jobId: number, name: string): TaskRecord | undefined {
      const row = selectTaskByName.get(jobId, name)
      return row && withParts([row], toTask)[0]
    },
    /** Adds tasks to an existing job (a foreach group's sub-tasks) and returns their stored records. */
    addTasks: db.transaction((jobId: number, tasks: NewTask[]): TaskRecord[] => insertTasks(jobId, tasks)),
    /** Drops tasks made at run time (a redone foreach's groups); call inside the caller's transaction. */
    deleteTasks(jobId: number, names: readonly string[]): void {
      changes.changed(jobId)
      for (const n of names) deleteTask.run(jobId, n)
    },
    /**
     * A job's tasks but the sub-tasks of `roots` (those named `<root>_…`, sub-task-names.ts), which
     * are not read at all: what a redo that drops them keeps. In the order they were made.
     */
    tasksOutside(jobId: number, roots: readonly string[]): TaskRecord[] {
      const rows = rangesOutside(roots).flatMap((r) => selectTasksInRange.all({ jobId, ...r }))
      return withParts(rows.sort((a, b) => a.id - b.id), toTask)
    },
    /**
     * Drops the sub-tasks of `roots` (named `<root>_…`) and the groups of the roots and of their
     * sub-tasks, without reading or deleting a row of them: one row in dropped_tasks per root that
     * has any (a root without sub-tasks or groups gets none), and from then on no reader sees them
     * (TASK_VISIBLE, GROUP_VISIBLE), while new tasks of those names may be made; row-sweeper.ts
     * removes them in steps (wake it after the commit). A root dropped again replaces its earlier
     * row, so a job has at most one per top-level task however often it is redone. Call inside the
     * caller's transaction.
     * @throws AppError invalid `not_top_level_task` (400), nothing dropped, for a root that is not a
     * top-level name (empty, or with `_`: sub-task-names.ts isDropRoot)
     */
    dropSubTasks(jobId: number, roots: readonly string[]): void {
      if (!roots.length) return
      // every root is checked before any is dropped: a refusal leaves nothing half done
      const notTop = roots.find((root) => !isDropRoot(root))
      if (notTop !== undefined) throw invalid('not_top_level_task', `cannot redo the sub-tasks of "${notTop}": not a top-level task name (a top-level task's name has no "_")`, 'task_names')
      const below = nextTaskId.get()!
      let dropped = false
      for (const root of new Set(roots)) {
        if (hasSubRows.get({ jobId, root, ...subTaskRange(root) }) !== 1) continue
        clearDrop.run({ jobId, root })
        noteDrop.run({ jobId, root, below })
        dropped = true
      }
      if (!dropped) return
      changes.changed(jobId)
      clearFloor.run()
      setFloor.run(below - 1)
    },
    /**
     * How many tasks the job has in each state (a state none has is absent): counted by SQLite, no
     * task read (a detail of a job of 50,000 tasks, atk17; of 120,000, #9 §2).
     */
    taskCountsByStatus,
    /** Whether a task of the job waits to be tried again (queued after a failed attempt): one seek, no task read. */
    waitsForRetry(jobId: number): boolean {
      return retryingTask.get(jobId) === 1
    },
    /** How many tasks the job has (none when there is no such job). */
    taskCount(jobId: number): number {
      return countTasks.get(jobId)?.n ?? 0
    },
    /** Throws StateNotStorableError (state-json.ts) when the input, output or runtime is too large or not JSON. */
    saveTask(t: TaskRecord): void {
      changes.changed(t.jobId)
      // their shapes as their depth checks counted them: what they hold beyond their characters (migration 046)
      const input = stateJsonShaped(t.input, `the input of task ${t.name}`, true)
      const output = stateJsonShaped(t.output, `the output of task ${t.name}`, true)
      const runtime = stateJsonShaped(t.runtime ?? undefined, `the state of task ${t.name}`)
      updateTask.run({
        id: t.id,
        status: t.status,
        attempt: t.attempt,
        input: input.text,
        output: output.text,
        valueWeight: heldWeightPastChars(input, output, runtime),
        error: t.error,
        runtime: runtime.text,
        runAfter: t.runAfter,
        startedAt: t.startedAt,
        finishedAt: t.finishedAt,
        attempts: JSON.stringify(t.attempts),
      })
    },
  }
}

/** One top-level key of a spec as insertTasks writes it: its JSON text, and the list or map it holds, if it does. */
interface SpecEntry {
  key: string
  text: string
  object?: object
  /** The object was stored or read as a part before (job-parts.ts knownText). */
  known?: boolean
}

/** The lists and maps held at the top level of more than one spec of `tasks` (the same object). */
function sharedObjects(tasks: readonly NewTask[]): Set<object> {
  const seen = new Set<object>()
  const shared = new Set<object>()
  for (const t of tasks) {
    for (const v of Object.values(t.spec ?? {})) {
      if (typeof v !== 'object' || v === null) continue
      if (seen.has(v)) shared.add(v)
      else seen.add(v)
    }
  }
  return shared
}

/**
 * The keys of `spec` with their JSON texts, the text of each list or map at its top level taken from
 * `written` when an earlier spec of the same call held the same object, or from `parts` (an earlier
 * call stored it as a part), else serialized and kept in `written`: the sub-tasks a foreach adds for
 * each item share their definition, and one holding a 0.95 MB constant mapping source was serialized
 * again for every item. The objects are not changed once given (insertTasks).
 */
function specEntries(spec: Record<string, unknown>, written: Map<object, string>, parts: JobParts): SpecEntry[] {
  const entries: SpecEntry[] = []
  for (const key of Object.keys(spec)) {
    const v = spec[key]
    if (typeof v === 'object' && v !== null) {
      const knownText = parts.knownText(v)
      let text = written.get(v) ?? knownText
      if (text === undefined) text = JSON.stringify(v) as string | undefined // undefined: an object whose toJSON gives it
      if (text !== undefined) {
        written.set(v, text)
        entries.push({ key, text, object: v, ...(knownText !== undefined ? { known: true } : {}) })
      }
      continue
    }
    const text = JSON.stringify(v) as string | undefined
    if (text !== undefined) entries.push({ key, text }) // undefined and functions are left out, as JSON.stringify does
  }
  return entries
}

/** The JSON characters of the object of `entries`. */
const jsonLength = (entries: readonly SpecEntry[]): number => entries.reduce((n, e) => n + JSON.stringify(e.key).length + e.text.length + 2, 1)

/** The JSON text of the object of `entries`, in their order. */
const entriesJson = (entries: readonly SpecEntry[]): string => `{${entries.map((e) => `${JSON.stringify(e.key)}:${e.text}`).join(',')}}`

/**
 * The parameters of a FIRST_TASKS read: the job; the tasks in one state only, or null for all; `limit`
 * tasks at most (-1: all) after the first `offset`; `end`: offset + limit (-1 when limit is).
 */
interface FirstTasks {
  jobId: number
  status: TaskStatus | null
  offset: number
  limit: number
  end: number
}

/** A page of taskPage: `limit` tasks of job `jobId` (of one `status`, or of all: null) after `skip` in the scan's direction. */
interface PageRange {
  jobId: number
  status: TaskStatus | null
  limit: number
  skip: number
}

/**
 * SQL, after a WHERE on `tasks t`: a page of taskPage (PageRange), in id order. One range scan of the
 * index named (`one` state: (job_id, status); else (job_id)), whose entries are in id order, `skip`
 * entries skipped by SQLite's OFFSET; `backward`: from the last. `dropped`: the job has drops noted,
 * and each entry is tested by TASK_VISIBLE (a read of its row's name); else none is hidden.
 */
const pageRange = (one: boolean, backward: boolean, dropped: boolean) =>
  `t.id IN (SELECT id FROM (SELECT t.id FROM tasks AS t INDEXED BY ${one ? 'tasks_by_job_status' : 'tasks_by_job'}
     WHERE t.job_id = @jobId${one ? ' AND t.status = @status' : ''}${dropped ? ` AND ${TASK_VISIBLE}` : ''}
     ORDER BY t.id${backward ? ' DESC' : ''} LIMIT @limit OFFSET @skip)) ORDER BY t.id`

/** FirstTasks of job `jobId`: `limit` tasks (-1: all) after the first `offset`, of one `status` or of all (null). */
const firstTasks = (jobId: number, limit: number, offset = 0, status: TaskStatus | null = null): FirstTasks => ({ jobId, status, offset, limit, end: limit < 0 ? -1 : offset + limit })

/**
 * SQL, after a WHERE on `tasks t`: visible tasks of job `@jobId` by id (FirstTasks), in id order. Each
 * state's run of the (job_id, status) index (migration 044) is in id order, so the first `@end` of all
 * are among the first `@end` of each state: a job's detail reads its DETAIL_TASKS rows of each state
 * at most, where ORDER BY id over the (job_id, name) index read and sorted every task of the job
 * (120,000: 40 ms of the 156-161 a detail held the main thread, #9 §2). A state not asked for
 * (`@status`) is not read.
 */
const FIRST_TASKS = `t.id IN (${TASK_STATUSES.map(
  (status) =>
    `SELECT id FROM (SELECT t.id FROM tasks t WHERE coalesce(@status, '${status}') = '${status}' AND t.job_id = @jobId AND t.status = '${status}' AND ${TASK_VISIBLE} ORDER BY t.id LIMIT @end)`,
).join(' UNION ALL ')}) ORDER BY t.id LIMIT @limit OFFSET @offset`
