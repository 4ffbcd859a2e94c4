import type { GraphWorkflowDocument, GraphWorkflowSummary, GraphWorkflowVersionInfo } from '../../shared/graph-workflows'
import type { JobStatus } from '../../shared/status'
import type { Db } from './connection'
import { JOB_OWNER_SQL } from './jobs/job-records'

/** One stored version of a graph workflow. */
export interface GraphWorkflowVersionRecord extends GraphWorkflowVersionInfo {
  workflowId: number
  document: GraphWorkflowDocument
}

interface SummaryRow {
  id: number
  name: string
  owner: string
  created_at: number
  updated_at: number
  latest: number
  last_job: number | null
  last_status: JobStatus | null
  last_at: number | null
}

const toSummary = (r: SummaryRow): GraphWorkflowSummary => ({
  id: r.id,
  name: r.name,
  owner: r.owner,
  latestVersion: r.latest,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  lastRun: r.last_job === null ? null : { jobId: r.last_job, status: r.last_status!, at: r.last_at! },
})

/**
 * New workflows are numbered 1, 2, 3… below this: ids at or above it are the random 10-digit ones
 * (Explorer's look, 4216617528) older databases gave, kept as they are. Explorer's clients need only a
 * number (reference/jobapis.md §B.3), and a short one is easier to read, say and type (#9 LOW).
 */
const RANDOM_IDS_FROM = 1_000_000_000

export interface GraphWorkflowJobQuery {
  workflowId?: number
  owner?: string
  name?: string
  statuses?: readonly string[]
  from?: number
  to?: number
  order: 'asc' | 'desc'
  offset: number
  limit: number
}

export type GraphWorkflowRepository = ReturnType<typeof createGraphWorkflowRepository>

/**
 * Graph workflows and their saved versions (migration 010). Documents are stored as validated JSON.
 * `pickId` gives a candidate id for a new workflow (default: the next of the sequence 1, 2, 3…, after
 * the highest id below RANDOM_IDS_FROM any workflow has or had); one that is or was a workflow's id,
 * or that a job names, is passed over for the next candidate.
 */
export function createGraphWorkflowRepository(db: Db, now: () => number = Date.now, pickId?: () => number) {
  // the highest numbered id ever given: deleted workflows' ids are retired (migration 021), so it is never given again
  const lastNumbered = db
    .prepare<[number, number], number | null>(
      'SELECT max(id) FROM (SELECT max(id) AS id FROM graph_workflows WHERE id < ? UNION ALL SELECT max(id) FROM retired_graph_workflow_ids WHERE id < ?)',
    )
    .pluck()
  let candidate = 0
  const nextId =
    pickId ??
    (() => {
      candidate = Math.max(candidate, lastNumbered.get(RANDOM_IDS_FROM, RANDOM_IDS_FROM) ?? 0) + 1 // climbs past a taken one
      return candidate
    })
  // an id is never given again, also after its workflow was deleted: its jobs keep it in their labels,
  // clients in URLs (retired_graph_workflow_ids, migration 021)
  const taken = db
    .prepare<{ id: number }, number>(
      `SELECT EXISTS (SELECT 1 FROM graph_workflows WHERE id = @id) OR EXISTS (SELECT 1 FROM retired_graph_workflow_ids WHERE id = @id)
        OR EXISTS (SELECT 1 FROM jobs WHERE json_extract(labels, '$.graphWorkflowId') = CAST(@id AS TEXT))`,
    )
    .pluck()
  const retire = db.prepare('INSERT OR IGNORE INTO retired_graph_workflow_ids (id) SELECT id FROM graph_workflows WHERE id = ?')
  const insert = db.prepare('INSERT INTO graph_workflows (id, name, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?)')
  const touch = db.prepare('UPDATE graph_workflows SET name = ?, updated_at = ? WHERE id = ?')
  const insertVersion = db.prepare('INSERT INTO graph_workflow_versions (workflow_id, version, document, saved_by, saved_at) VALUES (?, ?, ?, ?, ?)')
  // the last run: the workflow's newest job, found through the jobs_by_graph_workflow index (labels hold the id as text)
  const SUMMARY = `SELECT w.*, (SELECT max(version) FROM graph_workflow_versions v WHERE v.workflow_id = w.id) AS latest,
    j.id AS last_job, j.status AS last_status, coalesce(j.finished_at, j.started_at, j.created_at) AS last_at
    FROM graph_workflows w
    LEFT JOIN jobs j ON j.id = (SELECT max(id) FROM jobs WHERE json_extract(labels, '$.graphWorkflowId') = CAST(w.id AS TEXT))`
  const remove = db.prepare('DELETE FROM graph_workflows WHERE id = ?')
  const one = db.prepare<[number], SummaryRow>(`${SUMMARY} WHERE w.id = ?`)
  // a page is cut from graph_workflows first, so only its rows look up their latest version and last run (#9 §2, atk11)
  // one statement with the owner and one without: `@owner IS NULL OR owner = @owner` keeps SQLite from the owner index
  const pageOf = (where: string) =>
    db.prepare<Record<string, unknown>, SummaryRow>(
      `${SUMMARY} WHERE w.id IN (SELECT id FROM graph_workflows ${where} ORDER BY updated_at DESC, id LIMIT @limit OFFSET @offset)
       ORDER BY w.updated_at DESC, w.id`,
    )
  const pageAll = pageOf('')
  const pageOwned = pageOf('WHERE owner = @owner')
  const countAll = db.prepare<[], number>('SELECT count(*) FROM graph_workflows').pluck()
  const countOwned = db.prepare<[string], number>('SELECT count(*) FROM graph_workflows WHERE owner = ?').pluck()
  const page = (owner: string | undefined, p: { limit: number; offset: number }): SummaryRow[] =>
    owner === undefined ? pageAll.all(p) : pageOwned.all({ owner, ...p })
  const count = (owner: string | undefined): number => (owner === undefined ? countAll.get()! : countOwned.get(owner)!)
  const versionCount = db.prepare<[number], number>('SELECT count(*) FROM graph_workflow_versions WHERE workflow_id = ?').pluck()
  const versionRow = db.prepare<[number, number], { document: string; saved_by: string; saved_at: number; version: number }>(
    'SELECT version, document, saved_by, saved_at FROM graph_workflow_versions WHERE workflow_id = ? AND version = ?',
  )
  const versions = db.prepare<[number], { version: number; saved_by: string; saved_at: number }>(
    'SELECT version, saved_by, saved_at FROM graph_workflow_versions WHERE workflow_id = ? ORDER BY version DESC',
  )

  const JOBS_WHERE = `json_extract(labels, '$.graphWorkflowId') IS NOT NULL
    AND (@workflow IS NULL OR json_extract(labels, '$.graphWorkflowId') = @workflow)
    AND ${JOB_OWNER_SQL}
    AND (@name IS NULL OR instr(name, @name) > 0)
    AND (@statuses IS NULL OR status IN (SELECT value FROM json_each(@statuses)))
    AND (@from IS NULL OR created_at >= @from)
    AND (@to IS NULL OR created_at <= @to)`
  const jobsAsc = db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM jobs WHERE ${JOBS_WHERE} ORDER BY created_at, id LIMIT @limit OFFSET @offset`)
  const jobsDesc = db.prepare<Record<string, unknown>, { id: number }>(`SELECT id FROM jobs WHERE ${JOBS_WHERE} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`)
  const jobsCount = db.prepare<Record<string, unknown>, number>(`SELECT count(*) FROM jobs WHERE ${JOBS_WHERE}`).pluck()

  const repo = {
    /**
     * Ids of graph workflow jobs, a page of them, and how many match (Explorer's job lists): of one
     * workflow or all, an owner's (submitted by or run as) or everyone's, a name substring, statuses,
     * a created-at range (epoch ms, inclusive), by creation time.
     */
    jobs(q: GraphWorkflowJobQuery): { ids: number[]; total: number } {
      const filter = {
        workflow: q.workflowId === undefined ? null : String(q.workflowId),
        owner: q.owner ?? null,
        name: q.name ?? null,
        statuses: q.statuses ? JSON.stringify(q.statuses) : null,
        from: q.from ?? null,
        to: q.to ?? null,
      }
      const page = (q.order === 'asc' ? jobsAsc : jobsDesc).all({ ...filter, limit: q.limit, offset: q.offset })
      return { ids: page.map((r) => r.id), total: jobsCount.get(filter)! }
    },

    /** Stores a new workflow with its document as version 1; returns its new id. */
    create(document: GraphWorkflowDocument, owner: string): number {
      return db.transaction(() => {
        let id: number
        do id = nextId()
        while (taken.get({ id }))
        const t = now()
        insert.run(id, document.name, owner, t, t)
        insertVersion.run(id, 1, JSON.stringify(document), owner, t)
        return id
      })()
    },
    /** Saves the next version; returns its number. */
    saveVersion(id: number, document: GraphWorkflowDocument, by: string): number {
      return db.transaction(() => {
        const version = (one.get(id)?.latest ?? 0) + 1
        const t = now()
        insertVersion.run(id, version, JSON.stringify(document), by, t)
        touch.run(document.name, t, id)
        return version
      })()
    },
    /** Workflow `id`'s summary (name, owner, latest version, times in epoch ms), or undefined (also for a non-integer id). Never throws. */
    get(id: number): GraphWorkflowSummary | undefined {
      const r = Number.isSafeInteger(id) ? one.get(id) : undefined
      return r && toSummary(r)
    },
    /** Deletes workflow `id` and its versions (cascade); its jobs stay, and its id is never given again. Returns whether it existed. */
    delete(id: number): boolean {
      return db.transaction(() => {
        retire.run(id)
        return remove.run(id).changes > 0
      })()
    },
    /** Every workflow, or one owner's, most recently saved first. */
    list(owner?: string): GraphWorkflowSummary[] {
      return page(owner, { limit: -1, offset: 0 }).map(toSummary) // -1: SQLite's "no limit"
    },
    /** A page of the workflows (`limit` rows from `offset`), or of one owner's, most recently saved first, and how many there are. */
    page(owner: string | undefined, p: { limit: number; offset: number }): { items: GraphWorkflowSummary[]; total: number } {
      return { items: page(owner, p).map(toSummary), total: count(owner) }
    },
    /** How many workflows `owner` holds. */
    countOfOwner(owner: string): number {
      return count(owner)
    },
    /** How many saved versions workflow `id` holds (0 for none). */
    versionCount(id: number): number {
      return versionCount.get(id)!
    },
    /** One saved version of workflow `id`, with its document parsed, or undefined when it has none of that number. */
    version(id: number, version: number): GraphWorkflowVersionRecord | undefined {
      const r = versionRow.get(id, version)
      return r && { workflowId: id, version: r.version, savedBy: r.saved_by, savedAt: r.saved_at, document: JSON.parse(r.document) as GraphWorkflowDocument }
    },
    /** Every saved version of workflow `id` (number, who saved it, when in epoch ms), without documents; [] for none. */
    versions(id: number): GraphWorkflowVersionInfo[] {
      return versions.all(id).map((r) => ({ version: r.version, savedBy: r.saved_by, savedAt: r.saved_at }))
    },
  }
  return repo
}
