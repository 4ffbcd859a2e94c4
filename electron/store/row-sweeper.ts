// The one place that removes many rows (#9 §2): a job's result rows, log lines and tasks, and the rows
// of result sets a rerun or retry replaces. Deleting them in one statement held the main thread for
// seconds (a job of 2 x 1,000,000 result rows: 2.4-6.3 s through the ON DELETE CASCADE from jobs to
// result_sets to result_rows), and every request of every user with it. Here the rows leave every
// reader at once, in one short transaction, and are removed afterwards in steps of at most
// SWEEP_STEP_ROWS rows, one step per turn of the event loop. What is left to remove is written down
// (deleted_jobs, dropped_result_sets: migration 032), so a restart resumes the sweep.
//
//   jobs.delete ──► deleteJobRow: the job's row goes (foreign keys off: nothing cascades), its sets
//                   are dropped, the job id goes to deleted_jobs
//   results.clear / clearTask ──► dropSets: idx = -id (no reader asks for a negative index), the set
//                   ids go to dropped_result_sets; the set rows stay until their rows are gone, so
//                   their ids are not given again while rows of them remain (result_sets has no
//                   AUTOINCREMENT; jobs has, so a deleted job's id never comes back)
//   jobs.dropSubTasks (a redo) ──► a row in dropped_tasks per root (one per job and root: dropped
//                   again, it is replaced): its sub-tasks and groups leave every reader
//                   (store/jobs/sub-task-names.ts TASK_VISIBLE, GROUP_VISIBLE)
//   step ──► rows of the lowest dropped set, then its row; then a redo's dropped sub-tasks, then its
//            groups, then its note; then a deleted job's log lines and log cut, then its tasks, spec
//            parts, values and groups (bounded by bytes too), a table at a time
import { isBusy, type Db } from './connection'
import { GROUP_ROW_BYTES, TASK_ROW_BYTES } from './migrations/050-counted-removals'

/** Rows one sweep step removes at most (result rows, log lines): 1.5-2 ms a step (median; 14-22 ms at the 99th percentile) sweeping 2 x 1,000,000 short result rows on 2 busy cores. */
export const SWEEP_STEP_ROWS = 2000

/**
 * Rows of tables whose rows may each be large (a task's input and output, a job's stored values, a
 * spec part, a group's sub-context: up to megabytes each) one step removes at most; SWEEP_STEP_BYTES
 * bounds them too.
 */
export const SWEEP_STEP_LARGE_ROWS = 16

/**
 * 1 while anything dropped or deleted is left to sweep, else 0 (RowSweeper.pending; the tests read it
 * on a connection of their own to wait for a served app's sweep).
 */
export const SWEEP_PENDING_SQL = 'SELECT EXISTS (SELECT 1 FROM dropped_result_sets) OR EXISTS (SELECT 1 FROM deleted_jobs) OR EXISTS (SELECT 1 FROM dropped_tasks)'

/** How long the sweep waits before trying a step again that met another connection's lock (ms). */
const BUSY_PAUSE_MS = 200

export interface RowSweeper {
  /**
   * Deletes job `id`'s row without deleting anything else in the same statement: `before` runs first
   * in the same transaction (the caller's own writes: unparenting sub-jobs, telling listeners), then
   * the job's result sets are dropped, its id is noted in deleted_jobs, and its row goes with foreign
   * keys off, so no cascade runs; its other rows are swept afterwards. From the return on, no reader
   * finds the job. Returns false (nothing done, `before` not run) when there is no such job.
   * @throws Error when called inside a transaction (SQLite cannot turn foreign keys off in one, and the
   *   cascade would run on the main thread again)
   */
  deleteJobRow(id: number, before: () => void): boolean
  /**
   * Drops job `jobId`'s result sets (only task `taskId`'s when given): no reader lists or finds them
   * from here on, and their rows are swept afterwards. Writes two short statements (no rows of the
   * sets are touched); call inside or outside a transaction. Returns how many sets were dropped.
   */
  dropSets(jobId: number, taskId?: number): number
  /**
   * Removes at most `maxRows` rows of what was dropped or deleted (of tables with large rows at most
   * SWEEP_STEP_LARGE_ROWS, and SWEEP_STEP_BYTES beyond the first), in one transaction. Returns the rows removed (a finished set or job's own
   * bookkeeping rows count too): 0 when nothing was left to sweep.
   */
  step(maxRows?: number): number
  /** True while rows of a dropped set or deleted job remain. */
  pending(): boolean
  /** Runs steps, one per turn of the event loop, until nothing is left (or the connection closes). */
  wake(): void
  /** Runs no more steps (until the next wake). */
  stop(): void
}

/** A redo's drop of a root's sub-tasks and groups (dropped_tasks). */
interface DropNote {
  seq: number
  jobId: number
  root: string
  below: number
}

const sweepers = new WeakMap<Db, RowSweeper>()

/** The sweeper of connection `db` (one per connection, made on first use). */
export function rowSweeper(db: Db): RowSweeper {
  let s = sweepers.get(db)
  if (!s) sweepers.set(db, (s = createRowSweeper(db)))
  return s
}

/**
 * Bytes of rows one step removes at most, beyond its first row (result rows and log lines: about so
 * many, by the mean size of their rows). Freeing a row walks its overflow pages: 16 task inputs of
 * 4 MB took 97 ms in one step (~1.5 ms a MB). A single row larger than this still goes in one step:
 * SQLite frees a row whole.
 */
export const SWEEP_STEP_BYTES = 4 * 1024 * 1024

/**
 * A deleted job's tables of many rows, swept first: `remove` deletes at most `@n` rows of job `@id`;
 * `mean`, the mean bytes of a few of its rows next in line, makes `@n` about SWEEP_STEP_BYTES of them.
 */
const MANY_ROWS: readonly { remove: string; mean?: string }[] = [
  {
    // WITHOUT ROWID: its key is (job_id, seq); a line may be 64 kB (line-splitter.ts)
    remove: 'DELETE FROM log_lines WHERE job_id = @id AND seq IN (SELECT seq FROM log_lines WHERE job_id = @id ORDER BY seq LIMIT @n)',
    mean: 'SELECT avg(octet_length(text)) FROM (SELECT text FROM log_lines WHERE job_id = @id ORDER BY seq LIMIT 100)',
  },
  { remove: 'DELETE FROM log_truncations WHERE job_id = @id' },
]

/**
 * A deleted job's tables whose rows may be large: `sizes` lists up to `@n` of the job's rows as a key
 * (`a`, with `b` for a two-column key) and the bytes they hold; `remove` deletes one by that key.
 */
const LARGE_ROWS: readonly { sizes: string; remove: string }[] = [
  {
    // a task's spec row (task_specs) cascades with it
    sizes: `SELECT id AS a, NULL AS b, ${TASK_ROW_BYTES('t')} AS bytes FROM tasks t WHERE job_id = @id LIMIT @n`,
    remove: 'DELETE FROM tasks WHERE id = @a',
  },
  { sizes: 'SELECT id AS a, NULL AS b, octet_length(text) AS bytes FROM task_spec_parts WHERE job_id = @id LIMIT @n', remove: 'DELETE FROM task_spec_parts WHERE id = @a' },
  { sizes: 'SELECT rowid AS a, NULL AS b, octet_length(value) AS bytes FROM job_values WHERE job_id = @id LIMIT @n', remove: 'DELETE FROM job_values WHERE rowid = @a' },
  {
    // WITHOUT ROWID too, keyed (job_id, parent, idx)
    sizes: 'SELECT parent AS a, idx AS b, coalesce(octet_length(context), 0) + coalesce(octet_length(context_parts), 0) AS bytes FROM task_groups WHERE job_id = @id LIMIT @n',
    remove: 'DELETE FROM task_groups WHERE job_id = @id AND parent = @a AND idx = @b',
  },
]

/** Rows of `mean` bytes one step removes: about SWEEP_STEP_BYTES of them, at least 1, at most `maxRows` (all of these when the mean is not known). */
const rowsOfMean = (mean: number, maxRows: number): number => (mean > 0 ? Math.max(1, Math.min(maxRows, Math.floor(SWEEP_STEP_BYTES / mean))) : maxRows)

function createRowSweeper(db: Db): RowSweeper {
  const jobExists = db.prepare<[number], number>('SELECT 1 FROM jobs WHERE id = ?').pluck()
  const noteSets = db.prepare('INSERT OR IGNORE INTO dropped_result_sets (id) SELECT id FROM result_sets WHERE job_id = @jobId AND (@taskId IS NULL OR task_id = @taskId) AND idx >= 0')
  const hideSets = db.prepare('UPDATE result_sets SET idx = -id WHERE job_id = @jobId AND (@taskId IS NULL OR task_id = @taskId) AND idx >= 0')
  const noteJob = db.prepare('INSERT OR IGNORE INTO deleted_jobs (job_id) VALUES (?)')
  const deleteJob = db.prepare('DELETE FROM jobs WHERE id = ?')
  const firstSet = db.prepare<[], number>('SELECT id FROM dropped_result_sets ORDER BY id LIMIT 1').pluck()
  const setRows = db.prepare('DELETE FROM result_rows WHERE rowid IN (SELECT rowid FROM result_rows WHERE result_set_id = ? LIMIT ?)')
  const setSize = db.prepare<[number], { bytes: number | null; rows: number }>('SELECT byte_size AS bytes, row_count AS rows FROM result_sets WHERE id = ?')
  // a set written before its bytes were counted (migration 016): the mean of a few of its rows
  const sampledRowBytes = db.prepare<[number], number | null>('SELECT avg(octet_length(data)) FROM (SELECT data FROM result_rows WHERE result_set_id = ? LIMIT 100)').pluck()
  const setRow = db.prepare('DELETE FROM result_sets WHERE id = ?')
  const setNote = db.prepare('DELETE FROM dropped_result_sets WHERE id = ?')
  const firstJob = db.prepare<[], number>('SELECT job_id FROM deleted_jobs ORDER BY job_id LIMIT 1').pluck()
  const jobNote = db.prepare('DELETE FROM deleted_jobs WHERE job_id = ?')
  const manyRows = MANY_ROWS.map((t) => ({ remove: db.prepare(t.remove), mean: t.mean === undefined ? undefined : db.prepare<{ id: number }, number | null>(t.mean).pluck() }))
  const largeRows = LARGE_ROWS.map((t) => ({ sizes: db.prepare<{ id: number; n: number }, { a: unknown; b: unknown; bytes: number }>(t.sizes), remove: db.prepare(t.remove) }))
  const anyLeft = db.prepare<[], number>(SWEEP_PENDING_SQL).pluck()
  const firstDrop = db.prepare<[], DropNote>('SELECT seq, job_id AS jobId, root, below_id AS below FROM dropped_tasks ORDER BY seq LIMIT 1')
  // in name order from `after`, the last name a step of this drop removed: the redone foreach's new
  // sub-tasks, of the same names, are in the range too, and each step would read past them again
  const droppedTaskSizes = db.prepare<DropNote & { n: number; after: string }, { a: number; name: string; bytes: number; weight: number }>(
    `SELECT t.id AS a, t.name, ${TASK_ROW_BYTES('t')} AS bytes, t.value_weight AS weight
     FROM tasks t WHERE t.job_id = @jobId AND t.name >= @after AND t.name < @root || '\`' AND t.id < @below ORDER BY t.name LIMIT @n`,
  )
  // a task's spec row (task_specs) cascades with it
  const droppedTask = db.prepare<[number]>('DELETE FROM tasks WHERE id = ?')
  // in key order from (@parent, @idx), where the last step stopped: one range of the key from the root's
  // own groups to its sub-tasks' (the names between, `<root>^…`, are not the drop's); past the new groups once
  const droppedGroupSizes = db.prepare<DropNote & { n: number; parent: string; idx: number }, { parent: string; idx: number; bytes: number; weight: number }>(
    `SELECT parent, idx, ${GROUP_ROW_BYTES('task_groups')} AS bytes, weight FROM task_groups
     WHERE job_id = @jobId AND (parent, idx) >= (@parent, @idx) AND parent < @root || '\`' AND (parent = @root OR parent >= @root || '_') AND gen < @seq
     ORDER BY parent, idx LIMIT @n`,
  )
  const droppedGroup = db.prepare<[number, string, number]>('DELETE FROM task_groups WHERE job_id = ? AND parent = ? AND idx = ?')
  const dropNote = db.prepare<[number]>('DELETE FROM dropped_tasks WHERE seq = ?')
  const countSelf = db.prepare<[number]>('INSERT OR IGNORE INTO counted_removals (job_id) VALUES (?)')
  const countedOff = db.prepare<{ jobId: number; bytes: number; weight: number; tasks: number }>(
    'UPDATE jobs SET state_bytes = state_bytes - @bytes, state_weight = state_weight - @weight, task_rows = task_rows - @tasks WHERE id = @jobId',
  )
  const countByTriggers = db.prepare<[number]>('DELETE FROM counted_removals WHERE job_id = ?')

  /**
   * Runs `remove` (inside the step's transaction) with job `jobId`'s delete triggers off (migration 050),
   * then takes what it says it removed off the job's figures in one UPDATE, as the triggers would have
   * a row at a time (its user's totals follow through jobs' trigger). Returns `remove`'s rows.
   */
  const removeCounted = (jobId: number, remove: () => { rows: number; bytes: number; weight: number; tasks: number }): number => {
    countSelf.run(jobId)
    const removed = remove()
    if (removed.bytes !== 0 || removed.weight !== 0 || removed.tasks !== 0) countedOff.run({ jobId, bytes: removed.bytes, weight: removed.weight, tasks: removed.tasks })
    countByTriggers.run(jobId)
    return removed.rows
  }

  const drop = (jobId: number, taskId: number | null): number => {
    noteSets.run({ jobId, taskId })
    return hideSets.run({ jobId, taskId }).changes
  }

  const deleteWithoutCascade = db.transaction((id: number, before: () => void): boolean => {
    if (jobExists.get(id) === undefined) return false
    before()
    drop(id, null)
    noteJob.run(id)
    deleteJob.run(id)
    return true
  })

  /** How many of set `set`'s rows one step removes: at most `maxRows`, and about SWEEP_STEP_BYTES of them (rows may be 256 kB each). */
  const setStepRows = (set: number, maxRows: number): number => {
    const size = setSize.get(set)
    return rowsOfMean(size && size.bytes !== null ? (size.rows > 0 ? size.bytes / size.rows : 0) : (sampledRowBytes.get(set) ?? 0), maxRows)
  }

  /**
   * Where the steps of drop `seq` stopped: the last sub-task name they removed, and the last group's
   * key. Only the lowest drop is swept, so one is kept: a drop the sweep leaves unfinished is gone
   * (a redo of the same root replaced it by one of a higher seq, jobs.dropSubTasks) and its progress
   * with it; the new drop is swept from its range's start.
   */
  let progress: { seq: number; task?: string; group?: { parent: string; idx: number } } | null = null

  /** Removes at most `maxRows` rows, about SWEEP_STEP_BYTES beyond the first, of `rows` (keys and bytes) with `remove`; returns how many. */
  const removeUpTo = <R extends { bytes: number; weight?: number }>(rows: R[], remove: (row: R) => void): { rows: number; bytes: number; weight: number } => {
    let removed = 0
    let bytes = 0
    let weight = 0
    for (const row of rows) {
      if (removed > 0 && bytes + row.bytes > SWEEP_STEP_BYTES) break
      remove(row)
      bytes += row.bytes
      weight += row.weight ?? 0
      removed++
    }
    return { rows: removed, bytes, weight }
  }

  /** A step of a redo's drop (dropped_tasks, migration 033): its sub-tasks, then its groups, then its note. */
  const sweepDrop = (drop: DropNote, maxRows: number): number => {
    const n = maxRows
    if (progress?.seq !== drop.seq) progress = { seq: drop.seq }
    const at = progress
    // the range's start the first time (or after a restart)
    const after = at.task ?? `${drop.root}_`
    // the job is there (its figures count these rows until they go): taken off once a step
    const tasks = removeCounted(drop.jobId, () => {
      const removed = removeUpTo(droppedTaskSizes.all({ ...drop, n, after }), (r) => {
        droppedTask.run(r.a)
        at.task = r.name
      })
      return { ...removed, tasks: removed.rows }
    })
    if (tasks > 0) return tasks
    const from = at.group ?? { parent: drop.root, idx: Number.MIN_SAFE_INTEGER }
    const groups = removeCounted(drop.jobId, () => ({
      ...removeUpTo(droppedGroupSizes.all({ ...drop, n, ...from }), (r) => {
        droppedGroup.run(drop.jobId, r.parent, r.idx)
        at.group = { parent: r.parent, idx: r.idx }
      }),
      tasks: 0,
    }))
    if (groups > 0) return groups
    dropNote.run(drop.seq)
    progress = null
    return 1
  }

  /** One step's work: the rows of the lowest dropped set, else those of the lowest redo's drop, else those of the lowest deleted job. */
  const sweep = db.transaction((maxRows: number): number => {
    const set = firstSet.get()
    if (set !== undefined) {
      const n = setStepRows(set, maxRows)
      const removed = setRows.run(set, n).changes
      if (removed < n) {
        // its last rows are gone: now its row (and with it its id) may go
        setRow.run(set)
        setNote.run(set)
        return removed + 1
      }
      return removed
    }
    const drop = firstDrop.get()
    if (drop !== undefined) return sweepDrop(drop, maxRows)
    const job = firstJob.get()
    if (job === undefined) return 0
    for (const t of manyRows) {
      const removed = t.remove.run({ id: job, n: rowsOfMean(t.mean?.get({ id: job }) ?? 0, maxRows) }).changes
      if (removed > 0) return removed
    }
    for (const t of largeRows) {
      // the job's row is gone with its figures: nothing to take off (removeCounted's UPDATE finds no
      // row), and the triggers' UPDATEs a row are skipped
      const removed = removeCounted(job, () => ({
        ...removeUpTo(t.sizes.all({ id: job, n: Math.max(1, Math.min(maxRows, SWEEP_STEP_LARGE_ROWS)) }), (row) => t.remove.run({ id: job, a: row.a, b: row.b })),
        weight: 0,
        bytes: 0,
        tasks: 0,
      }))
      if (removed > 0) return removed
    }
    jobNote.run(job)
    return 1
  })

  /** A step, as `sweep`; a step undone (an error) forgets where the drops' steps stopped, as it may not have got there. */
  const sweepStep = (maxRows: number): number => {
    try {
      return sweep(maxRows)
    } catch (e) {
      progress = null
      throw e
    }
  }

  let scheduled = false
  let stopped = false
  const run = (): void => {
    scheduled = false
    if (stopped || !db.open) return
    let removed: number
    try {
      removed = sweepStep(SWEEP_STEP_ROWS)
    } catch (e) {
      if (!db.open) return
      if (isBusy(e)) {
        // another connection writes (a SQL task's rows): try again a little later
        scheduled = true
        setTimeout(run, BUSY_PAUSE_MS).unref()
        return
      }
      // nothing is lost: what is left stays noted, and the next wake or start tries again
      console.warn(`jobdesk: removing deleted rows stopped: ${(e as Error).message}`)
      return
    }
    if (removed > 0) schedule()
  }
  const schedule = (): void => {
    if (scheduled) return
    scheduled = true
    // a step per turn: requests that came meanwhile are answered between two steps
    setImmediate(run).unref()
  }

  return {
    deleteJobRow(id, before) {
      if (db.inTransaction) throw new Error(`job ${id} cannot be deleted inside a transaction: its rows would be deleted in it`)
      const keys = db.pragma('foreign_keys', { simple: true }) as number
      db.pragma('foreign_keys = OFF')
      let deleted: boolean
      try {
        deleted = deleteWithoutCascade(id, before)
      } finally {
        if (keys) db.pragma('foreign_keys = ON')
      }
      if (deleted) this.wake()
      return deleted
    },
    dropSets(jobId, taskId) {
      const n = drop(jobId, taskId ?? null)
      if (n > 0) this.wake()
      return n
    },
    step(maxRows = SWEEP_STEP_ROWS) {
      return sweepStep(maxRows)
    },
    pending() {
      return anyLeft.get() === 1
    },
    wake() {
      stopped = false
      schedule()
    },
    stop() {
      stopped = true
    },
  }
}
