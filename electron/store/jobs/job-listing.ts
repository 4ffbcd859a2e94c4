// Pages of jobs: the Jobs page's list (sorted, searched), the dialects' lists (by name, by dialect)
// and Linkis's history. Reads only; none reads a job's input, context or result but history.
import { JOB_TASK_COUNT } from './sub-task-names'
import type { Statement } from 'better-sqlite3'
import { jobParentFilter, type JobListQuery, type JobSortKey } from '../../../shared/api'
import type { JobSummary } from '../../../shared/model'
import type { JobStatus } from '../../../shared/status'
import type { Db } from '../connection'
import { listedReason } from '../reasons'
import { stopCheckTerm } from '../stop-check'
import { JOB_OWNER_SQL, JOB_SELECT_LISTED, SUMMARY_COLUMNS, VALUE_BYTES_SQL, toJob, toJobHead, type JobHead, type JobRecord, type JobRow, type SummaryRow } from './job-records'
import { toJobSummary } from './model-views'

/** The SQL of each sort key of the jobs list (a fixed list: ORDER BY is never built from input). */
const SORT_COLUMNS: Record<JobSortKey, string> = {
  id: 'j.id',
  name: 'j.name',
  kind: 'j.kind',
  status: 'j.status',
  createdAt: 'j.created_at',
  duration: "(COALESCE(j.finished_at, CAST(unixepoch('subsec') * 1000 AS INTEGER)) - j.started_at)",
}

/**
 * The jobs list's parent filters (JobListQuery.parent): every job, top-level jobs, one job's sub-flows
 * (`@parentId`). Top-level jobs keep the exact id or uuid match of a search (`@exactId`, `@exact`): a
 * sub-flow searched for by its id is found. Each term of that OR is an index lookup (parent, rowid, uuid).
 */
const PARENT_CLAUSES = {
  all: '',
  none: '(j.parent_job_id IS NULL OR j.id = @exactId OR j.uuid = @exact) AND',
  id: 'j.parent_job_id = @parentId AND',
} as const
type ParentClause = keyof typeof PARENT_CLAUSES
const PARENT_CLAUSE_NAMES = Object.keys(PARENT_CLAUSES) as ParentClause[]

/** Linkis's job history filters (jobhistory/list); each unset one matches every job. */
export interface HistoryQuery {
  ids?: number[]
  statuses?: JobStatus[]
  from?: number
  to?: number
  /** submitter or execute user */
  user?: string
  engine?: string
  creator?: string
  runType?: string
  minId?: number
  offset: number
  limit: number
}

/** A page of jobs of one kind and dialect (the Rill Flow console's execution list), newest first. */
export interface DialectJobQuery {
  kind: string
  dialect: string
  /** Exact job name (`workspace:dagName`). */
  name?: string
  /** Job names starting with this (`workspace:`). */
  namePrefix?: string
  /** Keep jobs in these statuses (all when undefined). */
  statuses?: readonly string[]
  /** Created after this (epoch ms, exclusive) … */
  after?: number
  /** … and at or before this. */
  until?: number
  /** Only jobs submitted by or run as this user. */
  owner?: string
  offset: number
  limit: number
}

/** A HistoryQuery's filters as the history statements' parameters (HISTORY_WHERE's; null: no filter). */
export const historyParams = (q: HistoryQuery) => ({
  ids: q.ids ? JSON.stringify(q.ids) : null,
  statuses: q.statuses ? JSON.stringify(q.statuses) : null,
  from: q.from ?? null,
  to: q.to ?? null,
  user: q.user ?? null,
  engine: q.engine ?? null,
  creator: q.creator ?? null,
  runType: q.runType ?? null,
  minId: q.minId ?? null,
})

/**
 * The WHERE clause of Linkis job history (HistoryQuery's filters as historyParams names them). Each
 * label is looked up in its index (migrations 026 and 028), never in a row's labels: json_extract
 * parses a row's whole labels text, and a job stored before the labels' bounds may keep megabytes of
 * them. The engine filter is a prefix LIKE on the engineType label (the kind when there is none): a
 * scan of the index, whose entries hold the label, and a lookup of the jobs without one. Exported for
 * the test that checks no row's labels are read.
 */
export const HISTORY_WHERE = `
    WHERE (@ids IS NULL OR id IN (SELECT value FROM json_each(@ids)))
      AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@from IS NULL OR created_at >= @from) AND (@to IS NULL OR created_at <= @to)
      AND (@user IS NULL OR submitter = @user OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.executeUser') = @user))
      AND (@engine IS NULL OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.engineType') LIKE @engine || '%')
        OR (kind LIKE @engine || '%' AND id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.engineType') IS NULL)))
      AND (@creator IS NULL OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.creator') = @creator))
      AND (@runType IS NULL OR id IN (SELECT id FROM jobs WHERE json_extract(labels, '$.runType') = @runType))
      AND (@minId IS NULL OR id >= @minId)`

/**
 * The repository's listing queries. `stopCheck` (a view worker's throwIfStopped) is called for each job
 * a history page reaches (stopCheckTerm), before its stored values are read: a page of thirty 4 MB
 * inputs is one SQLite call (1.2 s at load 11 on 2 cores).
 */
export function createJobListing(db: Db, { stopCheck }: { stopCheck?: () => void } = {}) {
  const check = stopCheckTerm(db, stopCheck)
  // the parent filter is its own clause, not an `@parent IS NULL OR …` term: one job's sub-flows are then
  // looked up in their index (migration 008) rather than found by a scan of every job
  const listWhere = (parent: ParentClause) => `
    WHERE ${PARENT_CLAUSES[parent]} (@status IS NULL OR j.status = @status)
      AND (@kind IS NULL OR j.kind = @kind)
      AND (@name IS NULL OR j.name = @name)
      AND (@text IS NULL OR j.name LIKE @text ESCAPE '\\' OR j.uuid LIKE @text ESCAPE '\\' OR CAST(j.id AS TEXT) = @exact)
      AND (@from IS NULL OR j.created_at >= @from)
      AND (@to IS NULL OR j.created_at < @to)
      AND ${JOB_OWNER_SQL}`
  /** One prepared list statement per sort column and direction (ORDER BY cannot be a parameter). */
  const listStatements = new Map<string, Statement>()
  const listJobs = (sort: JobSortKey, order: 'asc' | 'desc', parent: ParentClause): Statement => {
    const key = `${sort} ${order} ${parent}`
    let statement = listStatements.get(key)
    if (!statement) {
      const dir = order === 'asc' ? 'ASC' : 'DESC'
      // exact id/uuid matches of the search first, then the column (nulls last), ties by id
      statement = db.prepare(
        `SELECT ${SUMMARY_COLUMNS}, ${JOB_TASK_COUNT} AS task_count FROM jobs j ${listWhere(parent)}
         ORDER BY (CAST(j.id AS TEXT) = @exact OR j.uuid = @exact) DESC, ${SORT_COLUMNS[sort]} IS NULL, ${SORT_COLUMNS[sort]} ${dir}, j.id ${dir}
         LIMIT @limit OFFSET @offset`,
      )
      listStatements.set(key, statement)
    }
    return statement
  }
  const countJobs = Object.fromEntries(PARENT_CLAUSE_NAMES.map((p) => [p, db.prepare(`SELECT count(*) AS n FROM jobs j ${listWhere(p)}`)])) as Record<ParentClause, Statement>
  // a page's sub-flow counts: one statement over the parent index for the page's rows. Not a column of the
  // list statement: a column is evaluated for every matching job before the sort keeps a page of them
  const subflowCounts = db.prepare<[string], { id: number; n: number }>(
    'SELECT parent_job_id AS id, count(*) AS n FROM jobs WHERE parent_job_id IN (SELECT value FROM json_each(?)) GROUP BY parent_job_id',
  )
  const byNameStmt = db.prepare(
    `SELECT id, uuid, created_at FROM jobs WHERE name = @name AND kind = @kind AND status IN (SELECT value FROM json_each(@statuses))
     AND created_at < @before AND ${JOB_OWNER_SQL}
     ORDER BY id DESC LIMIT @limit OFFSET @offset`,
  )
  const countByNameStmt = db.prepare(
    `SELECT count(*) AS n FROM jobs WHERE name = @name AND kind = @kind AND status IN (SELECT value FROM json_each(@statuses))
     AND created_at >= @from AND created_at < @before AND ${JOB_OWNER_SQL}`,
  )
  const dialectWhere = `
    WHERE kind = @kind AND json_extract(labels, '$.dialect') = @dialect
      AND (@name IS NULL OR name = @name) AND (@prefix IS NULL OR substr(name, 1, length(@prefix)) = @prefix)
      AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
      AND (@after IS NULL OR created_at > @after) AND (@until IS NULL OR created_at <= @until)
      AND ${JOB_OWNER_SQL}`
  // the dialect is looked up in its index (migration 026), and no labels are read: an old job's may be megabytes
  const dialectJobsStmt = db.prepare(`SELECT id, uuid, name, status, created_at FROM jobs ${dialectWhere} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const dialectJobsCount = db.prepare(`SELECT count(*) AS n FROM jobs ${dialectWhere}`)
  const historyStmt = db.prepare(`${JOB_SELECT_LISTED} ${HISTORY_WHERE}${check} ORDER BY id DESC LIMIT @limit OFFSET @offset`)
  const historyCount = db.prepare(`SELECT count(*) AS n FROM jobs ${HISTORY_WHERE}`)
  const historyJobStmt = db.prepare<[number], JobRow>(`${JOB_SELECT_LISTED} WHERE j.id = ?`)
  const headStmt = db.prepare<[number], SummaryRow>(`SELECT ${SUMMARY_COLUMNS} FROM jobs j WHERE j.id = ?`)
  // octet_length reads a stored text's length, not the text. A page reads no task (a retry's wait is
  // one seek: waitsForRetry); summing its tasks' values here read every task of its jobs (atk20)
  const historyBytesStmt = db.prepare(
    `SELECT coalesce(sum((SELECT coalesce(sum(${VALUE_BYTES_SQL}), 0) FROM job_values v WHERE v.job_id = p.id)), 0) AS n
     FROM (SELECT id FROM jobs ${HISTORY_WHERE} ORDER BY id DESC LIMIT @limit OFFSET @offset) p`,
  )

  return {
    /**
     * Jobs of a kind and name in some statuses, created before `before`, newest first: ids, uuids and
     * times only (states may be large, and a job stored before the labels' bounds may have megabytes
     * of labels); only `owner`'s (submitted by or run as them) when given.
     */
    byName(name: string, kind: string, statuses: readonly string[], before: number, offset: number, limit: number, owner?: string): Pick<JobRecord, 'id' | 'uuid' | 'createdAt'>[] {
      const rows = byNameStmt.all({ name, kind, statuses: JSON.stringify(statuses), before, offset, limit, owner: owner ?? null }) as Pick<JobRow, 'id' | 'uuid' | 'created_at'>[]
      return rows.map((r) => ({ id: r.id, uuid: r.uuid, createdAt: r.created_at }))
    },
    /** How many jobs of a kind and name are in some statuses, created in [from, before); `owner` as in byName(). */
    countByName(name: string, kind: string, statuses: readonly string[], from: number, before: number, owner?: string): number {
      return (countByNameStmt.get({ name, kind, statuses: JSON.stringify(statuses), from, before, owner: owner ?? null }) as { n: number }).n
    },
    /** A page of one dialect's jobs with the query's filters (no labels: see dialectJobsStmt), and how many match in all. */
    dialectJobs(q: DialectJobQuery): { items: Pick<JobRecord, 'id' | 'uuid' | 'name' | 'status' | 'createdAt'>[]; total: number } {
      const filter = {
        kind: q.kind,
        dialect: q.dialect,
        name: q.name ?? null,
        prefix: q.namePrefix ?? null,
        statuses: q.statuses ? JSON.stringify(q.statuses) : null,
        after: q.after ?? null,
        until: q.until ?? null,
        owner: q.owner ?? null,
      }
      const rows = dialectJobsStmt.all({ ...filter, offset: q.offset, limit: q.limit }) as Pick<JobRow, 'id' | 'uuid' | 'name' | 'status' | 'created_at'>[]
      const items = rows.map((r) => ({ id: r.id, uuid: r.uuid, name: r.name, status: r.status as JobStatus, createdAt: r.created_at }))
      return { items, total: (dialectJobsCount.get(filter) as { n: number }).n }
    },
    /** Job history with Linkis's filters (HISTORY_WHERE: labels looked up in their indexes), the page's labels read as lists read them (listedLabels). */
    history(q: HistoryQuery): { items: JobRecord[]; total: number } {
      const params = historyParams(q)
      const rows = historyStmt.all({ ...params, limit: q.limit, offset: q.offset }) as JobRow[]
      return { items: rows.map(toJob), total: (historyCount.get(params) as { n: number }).n }
    },
    /** One job as job history shows it (its labels as lists read them), or undefined when there is none. */
    historyJob(id: number): JobRecord | undefined {
      const row = historyJobStmt.get(id)
      return row && toJob(row)
    },
    /** What a list shows of one job (no input, context or result; labels as lists read them), or undefined: enough to tell whose it is. */
    head(id: number): JobHead | undefined {
      const row = headStmt.get(id)
      return row && toJobHead(row)
    },
    /**
     * The bytes a page of history reads besides the rows: its jobs' stored input, context and result,
     * as stored (UTF-8); SQLite reads their lengths, not them. A page reads none of their tasks.
     */
    historyBytes(q: HistoryQuery): number {
      return (historyBytesStmt.get({ ...historyParams(q), limit: q.limit, offset: q.offset }) as { n: number }).n
    },
    /**
     * Jobs matching the query, newest first unless `q.sort`/`q.order` say otherwise; an exact id or
     * uuid match of `q.text` comes first. `owner` keeps those submitted by or run as that user.
     */
    list(q: JobListQuery, owner?: string): { items: JobSummary[]; total: number } {
      const text = q.text?.trim() ? `%${q.text.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null
      const exact = q.text?.trim().replace(/^#(?=\d+$)/, '') || null
      const parent = jobParentFilter(q.parent)
      const clause: ParentClause = parent === undefined ? 'all' : parent === 'none' ? 'none' : 'id'
      const parentParams = clause === 'id' ? { parentId: parent } : clause === 'none' ? { exactId: exact && /^\d{1,15}$/.test(exact) ? Number(exact) : null } : {}
      const filter = { status: q.status ?? null, kind: q.type ?? null, name: q.name ?? null, text, exact, from: q.from ?? null, to: q.to ?? null, owner: owner ?? null, ...parentParams }
      const rows = listJobs(q.sort ?? 'id', q.order ?? 'desc', clause).all({ ...filter, limit: q.limit ?? 50, offset: q.offset ?? 0 }) as (SummaryRow & { task_count: number })[]
      const total = (countJobs[clause].get(filter) as { n: number }).n
      const counts = new Map(rows.length ? subflowCounts.all(JSON.stringify(rows.map((r) => r.id))).map((c) => [c.id, c.n]) : [])
      // a list shows the head of a failure's reason (reasons.ts), as every dialect's list does
      const items = rows.map((r) => ({ ...toJobSummary({ ...toJobHead(r), error: listedReason(r.error) }, r.task_count ?? 0), subflowCount: counts.get(r.id) ?? 0 }))
      return { items, total }
    },
  }
}
