// The grid's cells of one run (shared/workflow-manage.ts): top-level tasks as they are, and the tasks
// inside choices and foreaches summed up per row, so a foreach of 100,000 items is one row. The sums
// are made by SQLite (GROUP BY group task, sub-task name and status) from the state columns only: a
// run of a 20,000-item foreach read whole and summed here held the main thread 1.75 s (#9.2).
import { TASK_VISIBLE } from '../store/jobs/sub-task-names'
import type { Database } from 'better-sqlite3'
import { GRID_PATH_SEPARATOR, GRID_STATUS_ORDER, type GridTask } from '../../shared/workflow-manage'
import type { TaskStatus } from '../../shared/status'
import { ownTurn } from '../executors/turns'

/** Which run of a nested row a click opens: a failed one first, then a running one, else the first. */
const OPEN_FIRST: readonly TaskStatus[] = GRID_STATUS_ORDER.slice(0, GRID_STATUS_ORDER.indexOf('cancelling') + 1)

/**
 * One row per top-level task, and per (group, sub-task name, status) inside groups. `groupKey` is the
 * task's route without its group number (`each_3-inner_` for route `each_3-inner_0`: routes are
 * `<group task>_<n>`, names/routes runtime/names.ts), so all items of one foreach fall in one row.
 */
interface StateSum {
  groupKey: string | null
  base: string
  status: TaskStatus
  n: number
  /** The smallest task id: stored order. */
  first: number
  /** The highest attempt of the tasks summed, with its try: attempt × KEY_TRIES + try (ATTEMPT_KEY_SQL), ordering the pairs. */
  attemptKey: number
  startedAt: number | null
  /** Top level: the task's own finished_at. */
  finishedAt: number | null
  /** The last end among the runs that started. */
  lastEnd: number | null
  /** How many started and have not ended. */
  unfinished: number
}

/** Adds a step's sums into those of the steps before (same group, sub-task and status). */
function addSums(into: Map<string, StateSum>, step: readonly StateSum[]): void {
  const later = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b))
  for (const s of step) {
    const key = `${s.groupKey}\u0000${s.base}\u0000${s.status}`
    const had = into.get(key)
    if (!had) into.set(key, { ...s })
    else {
      had.n += s.n
      had.first = Math.min(had.first, s.first)
      had.attemptKey = Math.max(had.attemptKey, s.attemptKey)
      had.startedAt = had.startedAt === null ? s.startedAt : s.startedAt === null ? had.startedAt : Math.min(had.startedAt, s.startedAt)
      had.finishedAt = later(had.finishedAt, s.finishedAt)
      had.lastEnd = later(had.lastEnd, s.lastEnd)
      had.unfinished += s.unfinished
    }
  }
}

/** Tasks summed per step: one step holds the main thread some 10 ms; the next waits for other work. */
const SUM_STEP = 2000

/**
 * SQL: the route of task `t` (the group it belongs to, `each_3` for `each_3-leaf`), or NULL at the top
 * level: its name before the last `-` (runtime/task-specs.ts routeOf; the name's characters up to its
 * last `-` are what rtrim leaves of it when told to strip every character but `-`). Not read from the
 * spec: a foreach's sub-tasks share one, without it.
 */
const ROUTE_SQL = `CASE WHEN instr(t.name, '-') > 0 THEN substr(t.name, 1, length(rtrim(t.name, replace(t.name, '-', ''))) - 1) END`

/** Tries an attempt may hold in an attemptKey: past any retry policy's (the engine keeps a task's last 50). */
const KEY_TRIES = 2 ** 32

/** An attemptKey's attempt and try, as the native API serves them (GridTask `attempt`, `try`). */
const fromAttemptKey = (key: number): { attempt: number; try: number } => ({ attempt: Math.floor(key / KEY_TRIES), try: key % KEY_TRIES })

/**
 * SQL: the attempt number of task `t` now, shared/task-attempts.ts taskAttemptNumber in SQL (that is the
 * definition; test/services/run-grid-attempts.test.ts holds the two alike), read from the last entry of its
 * stored history (`tasks.attempts`, its `attempt` the try, `number` the attempt's number) and the stored try
 * `t.attempt`; for a history stored before entries kept their number, derived from the tries (a new attempt
 * at each try not following the one before). Summed in SQL: a foreach's 100,000 items are not read here.
 */
export const ATTEMPT_NUMBER_SQL = `(WITH h AS (SELECT t.attempts ->> '$[#-1].attempt' AS lastTry, t.attempts ->> '$[#-1].startedAt' AS lastStart,
      coalesce(t.attempts ->> '$[#-1].number', (SELECT 1 + count(*) FROM json_each(t.attempts) a JOIN json_each(t.attempts) b ON b.key = a.key - 1
                                                WHERE a.value ->> 'attempt' <= b.value ->> 'attempt')) AS lastNumber)
    SELECT CASE WHEN lastTry IS NULL THEN (t.attempt > 0)
                WHEN t.attempt = 0 OR (t.attempt = lastTry AND t.started_at IS lastStart) OR t.attempt > lastTry THEN lastNumber
                ELSE lastNumber + 1 END FROM h)`

/** SQL: the attempt number of task `t` × KEY_TRIES + its try, one number ordering them; a history of '[]' (a task not run) is not parsed. */
const ATTEMPT_KEY_SQL = `(CASE WHEN t.attempts = '[]' THEN (t.attempt > 0) ELSE ${ATTEMPT_NUMBER_SQL} END * ${KEY_TRIES} + min(t.attempt, ${KEY_TRIES - 1}))`

const SUMS = `
  WITH k AS (SELECT t.id, t.name, t.status, ${ATTEMPT_KEY_SQL} AS attemptKey, t.started_at, t.finished_at, ${ROUTE_SQL} AS route
             FROM tasks t WHERE t.job_id = ? AND t.name > ? AND ${TASK_VISIBLE} ORDER BY t.name LIMIT ${SUM_STEP})
  SELECT CASE WHEN route IS NULL THEN NULL ELSE rtrim(route, '0123456789') END AS groupKey,
         CASE WHEN route IS NULL THEN name ELSE substr(name, length(route) + 2) END AS base,
         status, count(*) AS n, min(id) AS first, max(attemptKey) AS attemptKey, min(started_at) AS startedAt,
         max(finished_at) AS finishedAt,
         max(CASE WHEN started_at IS NOT NULL THEN finished_at END) AS lastEnd,
         sum(started_at IS NOT NULL AND finished_at IS NULL) AS unfinished, max(name) AS last
  FROM k GROUP BY groupKey, base, status`

const GROUP_ROUTES = `SELECT t.name, ${ROUTE_SQL} AS route FROM tasks t
  WHERE t.job_id = ? AND t.name IN (SELECT value FROM json_each(?)) AND ${TASK_VISIBLE}`

/** A nested row while its (status) sums are gathered. */
interface NestedRow {
  sums: StateSum[]
  first: number
}

/** Reads a run's grid cells: states, times and routes of its tasks only, summed up per row in SQL. */
export function createRunGridReader(db: Database) {
  const sums = db.prepare<[number, string], StateSum & { last: string }>(SUMS)
  const groupRoutes = db.prepare<[number, string], { name: string; route: string | null }>(GROUP_ROUTES)
  const nameOf = db.prepare<[number], { name: string }>('SELECT name FROM tasks WHERE id = ?')

  /**
   * One GridTask per row of the run's tasks: top-level rows first, in stored order, then nested rows
   * in the order first met. A nested task's row is its group task's row and its own name
   * (`each_3-inner_0-leaf` → `each/inner/leaf`); a task whose group task is missing has no row.
   * Reads SUM_STEP tasks at a time, letting other requests in between.
   */
  return async function gridTasks(jobId: number): Promise<GridTask[]> {
    const summed = new Map<string, StateSum>()
    // Steps go by name along the (job_id, name) index: by id, each step sorted all of the run's tasks.
    for (let after = ''; ; await ownTurn()) {
      const step = sums.all(jobId, after)
      if (step.length === 0) break
      addSums(summed, step)
      after = step.reduce((last, s) => (s.last > last ? s.last : last), after)
    }
    const all = [...summed.values()].sort((a, b) => a.first - b.first)
    const parents = [...new Set(all.flatMap((s) => (s.groupKey === null ? [] : [s.groupKey.slice(0, -1)])))]
    const routeOf = new Map(groupRoutes.all(jobId, JSON.stringify(parents)).map((g) => [g.name, g.route]))
    const rows = new Map<string, string | null>() // group task name → its row; null: none
    const rowOf = (name: string, depth = 0): string | null => {
      const known = rows.get(name)
      if (known !== undefined) return known
      const route = routeOf.get(name)
      let row: string | null = route === undefined || depth >= 64 ? null : name // routes nest as deep as descriptors do
      if (route) {
        const groupRow = rowOf(route.slice(0, route.lastIndexOf('_')), depth + 1)
        row = groupRow === null ? null : `${groupRow}${GRID_PATH_SEPARATOR}${name.slice(route.length + 1)}`
      }
      rows.set(name, row)
      return row
    }
    const top: GridTask[] = []
    const nested = new Map<string, NestedRow>()
    for (const s of all) {
      if (s.groupKey === null) {
        top.push({ name: s.base, status: s.status, ...fromAttemptKey(s.attemptKey), startedAt: s.startedAt, finishedAt: s.finishedAt })
        continue
      }
      const groupRow = rowOf(s.groupKey.slice(0, -1))
      if (groupRow === null) continue
      const row = `${groupRow}${GRID_PATH_SEPARATOR}${s.base}`
      const r = nested.get(row)
      if (r) {
        r.sums.push(s)
        r.first = Math.min(r.first, s.first)
      } else nested.set(row, { sums: [s], first: s.first })
    }
    const rowsOfGroups = [...nested].sort((a, b) => a[1].first - b[1].first).map(([row, r]) => summarise(row, r, (id) => nameOf.get(id)!.name))
    return [...top, ...rowsOfGroups]
  }
}

/** A nested row's cell: the runs of one task inside a group (a foreach's items, a choice's branch). */
function summarise(name: string, row: NestedRow, nameOf: (id: number) => string): GridTask {
  let startedAt: number | null = null
  let finishedAt: number | null = null
  let unfinished = false
  let attemptKey = 0
  let instances = 0
  const firstOf = new Map<TaskStatus, number>()
  for (const s of row.sums) {
    attemptKey = Math.max(attemptKey, s.attemptKey)
    instances += s.n
    firstOf.set(s.status, Math.min(firstOf.get(s.status) ?? s.first, s.first))
    if (s.startedAt !== null) startedAt = startedAt === null ? s.startedAt : Math.min(startedAt, s.startedAt)
    if (s.unfinished > 0) unfinished = true
    if (s.lastEnd !== null) finishedAt = Math.max(finishedAt ?? s.lastEnd, s.lastEnd)
  }
  const firstStatus = row.sums.find((s) => s.first === row.first)!.status
  const open = OPEN_FIRST.find((s) => firstOf.has(s))
  return {
    name,
    parent: name.slice(0, name.lastIndexOf(GRID_PATH_SEPARATOR)),
    status: GRID_STATUS_ORDER.find((s) => firstOf.has(s)) ?? firstStatus,
    ...fromAttemptKey(attemptKey),
    startedAt,
    finishedAt: unfinished ? null : finishedAt,
    instances,
    open: nameOf(open === undefined ? row.first : firstOf.get(open)!),
  }
}
