import type { WorkflowSummary } from '../../shared/workflows'
import type { Statement } from 'better-sqlite3'
import type { Db } from './connection'
import { RILLFLOW_LOOPBACK_USER } from '../../shared/rillflow-caller'

/** One stored version of a workflow definition (a Rill Flow descriptor), keyed by its md5. */
export interface WorkflowRecord {
  id: number
  workspace: string
  name: string
  version: string
  format: string
  source: string
  parsed: unknown
  createdBy: string | null
  createdAt: number
}

/** A version to store: its parsed form as JSON text (a big one is made off the main thread, and stored as it is). */
export type NewWorkflowVersion = Omit<WorkflowRecord, 'id' | 'createdAt' | 'parsed'> & { parsedJson: string }

interface WorkflowRow {
  id: number
  workspace: string
  name: string
  version: string
  format: string
  source: string
  parsed: string
  created_by: string | null
  created_at: number
}

/**
 * The name Rill Flow's credential-less loopback clients act under (a reserved user name, never an
 * account): what a version stored without a user records, so such workflows are admins' alone.
 */
export { RILLFLOW_LOOPBACK_USER }

/** One alias of a workflow as the console's definitions list shows it (workflow repository `definitions`). */
export interface DefinitionRecord {
  workspace: string
  name: string
  alias: string
  /** The version (md5) the alias names. */
  version: string
  /** When the workflow's first version was stored (epoch ms). */
  createdAt: number
  /** When the version the alias names was stored (epoch ms); the newest version's time when it is gone. */
  updatedAt: number
}

interface DefinitionFilter {
  owner: string | null
  business: string | null
  feature: string | null
}

interface SummaryRow {
  workspace: string
  name: string
  owner: string
  versions: number
  latest_version: string
  updated_at: number
  /** JSON object text, alias → version. */
  aliases: string
}

const toSummary = (r: SummaryRow): WorkflowSummary => ({
  workspace: r.workspace,
  name: r.name,
  owner: r.owner,
  versions: r.versions,
  latestVersion: r.latest_version,
  updatedAt: r.updated_at,
  aliases: JSON.parse(r.aliases) as Record<string, string>,
})

/** A stored version; its parsed form is parsed when first read (it may be megabytes, and most reads need only the rest). */
const toWorkflow = (r: WorkflowRow): WorkflowRecord => {
  let parsed: unknown
  const record = {
    id: r.id,
    workspace: r.workspace,
    name: r.name,
    version: r.version,
    format: r.format,
    source: r.source,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }
  return Object.defineProperty(record, 'parsed', { enumerable: true, get: () => (parsed ??= JSON.parse(r.parsed) as unknown) }) as WorkflowRecord
}


export type WorkflowRepository = ReturnType<typeof createWorkflowRepository>

export function createWorkflowRepository(db: Db, now: () => number = Date.now) {
  const insert = db.prepare(
    `INSERT INTO workflows (workspace, name, version, format, source, parsed, created_by, created_at)
     VALUES (@workspace, @name, @version, @format, @source, @parsed, @createdBy, @now)
     ON CONFLICT (workspace, name, version) DO NOTHING`,
  )
  const byVersion = db.prepare<[string, string, string], WorkflowRow>('SELECT * FROM workflows WHERE workspace = ? AND name = ? AND version = ?')
  const byId = db.prepare<[number], WorkflowRow>('SELECT * FROM workflows WHERE id = ?')
  const versions = db.prepare<[string, string], { version: string; created_at: number }>(
    'SELECT version, created_at FROM workflows WHERE workspace = ? AND name = ? ORDER BY id DESC',
  )
  const putAlias = db.prepare(
    `INSERT INTO workflow_aliases (workspace, name, alias, version) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace, name, alias) DO UPDATE SET version = excluded.version`,
  )
  const delAlias = db.prepare('DELETE FROM workflow_aliases WHERE workspace = ? AND name = ? AND alias = ?')
  const getAlias = db.prepare<[string, string, string], { version: string }>(
    'SELECT version FROM workflow_aliases WHERE workspace = ? AND name = ? AND alias = ?',
  )
  const aliases = db.prepare<[string, string], { alias: string; version: string }>(
    'SELECT alias, version FROM workflow_aliases WHERE workspace = ? AND name = ? ORDER BY alias',
  )
  // The lists below are filtered by what is given, and a condition that is not given is left out of
  // the SQL (a constant fragment per filter, never a value): `@owner IS NULL OR o.owner = @owner`
  // kept SQLite from the owner index, and a user's list scanned every workflow (#9 §2, atk11).
  const prepared = new Map<string, Statement>()
  const statement = (sql: string): Statement => {
    let st = prepared.get(sql)
    if (!st) prepared.set(sql, (st = db.prepare(sql)))
    return st
  }
  const ownerWhere = (owner: string | null) => (owner === null ? '' : 'WHERE o.owner = @owner')
  // a page of summaries in one query: the workflows ordered and cut from the unique index (which holds
  // each version's rowid), then the page's rows looked up; not two queries per workflow
  const summariesSql = (owner: string | null) => `WITH page AS (
      SELECT w.workspace, w.name, o.owner, count(*) AS versions, max(w.id) AS latest_id
      FROM workflow_owners o JOIN workflows w ON w.workspace = o.workspace AND w.name = o.name
      ${ownerWhere(owner)}
      GROUP BY w.workspace, w.name ORDER BY latest_id DESC LIMIT @limit OFFSET @offset)
    SELECT p.workspace, p.name, p.owner, p.versions, l.version AS latest_version, l.created_at AS updated_at,
      (SELECT json_group_object(alias, version) FROM (SELECT alias, version FROM workflow_aliases a
        WHERE a.workspace = p.workspace AND a.name = p.name ORDER BY alias)) AS aliases
    FROM page p JOIN workflows l ON l.id = p.latest_id ORDER BY p.latest_id DESC`
  const summaries = (owner: string | null, p: { limit: number; offset: number }): SummaryRow[] =>
    statement(summariesSql(owner)).all({ ...(owner === null ? {} : { owner }), ...p }) as SummaryRow[]
  const workflowCount = (owner: string | null): number =>
    statement(
      `SELECT count(*) AS n FROM workflow_owners o
       WHERE ${owner === null ? '' : 'o.owner = @owner AND'} EXISTS (SELECT 1 FROM workflows w WHERE w.workspace = o.workspace AND w.name = o.name)`,
    ).pluck().get(owner === null ? {} : { owner }) as number
  const ownedCount = db.prepare<[string], number>('SELECT count(*) FROM workflow_owners WHERE owner = ?').pluck() // its index alone
  const aliasCount = db.prepare<[string, string], number>('SELECT count(*) FROM workflow_aliases WHERE workspace = ? AND name = ?').pluck()
  const aliasCountOfOwner = db
    .prepare<[string], number>('SELECT count(*) FROM workflow_owners o JOIN workflow_aliases a ON a.workspace = o.workspace AND a.name = o.name WHERE o.owner = ?')
    .pluck()
  const versionCount = db.prepare<[string, string], number>('SELECT count(*) FROM workflows WHERE workspace = ? AND name = ?').pluck()
  // the console's definitions (one row per alias), filtered, ordered and cut in SQL: before, every
  // workflow and then each one's versions were read, and only then filtered and paged
  const definitionsFrom = (f: DefinitionFilter): string => {
    const where = [
      f.owner === null ? '' : 'o.owner = @owner AND ',
      f.business === null ? '' : 'a.workspace = @business AND ',
      f.feature === null ? '' : 'a.name = @feature AND ',
    ].join('')
    return `FROM workflow_owners o JOIN workflow_aliases a ON a.workspace = o.workspace AND a.name = o.name
      WHERE ${where}EXISTS (SELECT 1 FROM workflows w WHERE w.workspace = a.workspace AND w.name = a.name)`
  }
  const givenOf = (f: DefinitionFilter) => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== null))
  const definitions = (f: DefinitionFilter, p: { limit: number; offset: number }): DefinitionRecord[] =>
    statement(
      `SELECT a.workspace, a.name, a.alias, a.version,
         (SELECT created_at FROM workflows f WHERE f.workspace = a.workspace AND f.name = a.name ORDER BY f.id LIMIT 1) AS createdAt,
         coalesce((SELECT created_at FROM workflows v WHERE v.workspace = a.workspace AND v.name = a.name AND v.version = a.version),
           (SELECT max(created_at) FROM workflows m WHERE m.workspace = a.workspace AND m.name = a.name)) AS updatedAt
       ${definitionsFrom(f)}
       ORDER BY updatedAt DESC, a.workspace, a.name, a.alias LIMIT @limit OFFSET @offset`,
    ).all({ ...givenOf(f), ...p }) as DefinitionRecord[]
  const definitionCount = (f: DefinitionFilter): number => statement(`SELECT count(*) ${definitionsFrom(f)}`).pluck().get(givenOf(f)) as number
  const claim = db.prepare('INSERT OR IGNORE INTO workflow_owners (workspace, name, owner) VALUES (?, ?, ?)')
  const ownerOf = db.prepare<[string, string], { owner: string }>('SELECT owner FROM workflow_owners WHERE workspace = ? AND name = ?')
  const ownerOfVersion = db.prepare<[number], { owner: string }>(
    'SELECT o.owner FROM workflows w JOIN workflow_owners o ON o.workspace = w.workspace AND o.name = w.name WHERE w.id = ?',
  )
  const workspaces = db.prepare<[{ owner: string | null }], { workspace: string }>(
    'SELECT DISTINCT workspace FROM workflow_owners WHERE @owner IS NULL OR owner = @owner ORDER BY workspace',
  )
  const names = db.prepare<[{ workspace: string; owner: string | null }], { name: string }>(
    'SELECT name FROM workflow_owners WHERE workspace = @workspace AND (@owner IS NULL OR owner = @owner) ORDER BY name',
  )
  const jobsOf = db.prepare<[string, string], { n: number }>(
    'SELECT count(*) AS n FROM jobs WHERE workflow_id IN (SELECT id FROM workflows WHERE workspace = ? AND name = ?)',
  )
  const dropAliases = db.prepare('DELETE FROM workflow_aliases WHERE workspace = ? AND name = ?')
  const dropVersions = db.prepare('DELETE FROM workflows WHERE workspace = ? AND name = ?')
  const dropOwner = db.prepare('DELETE FROM workflow_owners WHERE workspace = ? AND name = ?')
  const removeAll = db.transaction((workspace: string, name: string): boolean => {
    dropAliases.run(workspace, name)
    const removed = dropVersions.run(workspace, name).changes > 0
    return dropOwner.run(workspace, name).changes > 0 || removed
  })
  const addVersion = db.transaction((w: NewWorkflowVersion): void => {
    claim.run(w.workspace, w.name, w.createdBy ?? RILLFLOW_LOOPBACK_USER)
    const { parsedJson, ...row } = w
    insert.run({ ...row, parsed: parsedJson, createdBy: w.createdBy, now: now() })
  })

  return {
    /**
     * Stores a version unless the same text is already stored. The first version of a workflow makes
     * its author (`createdBy`) the workflow's owner.
     */
    add(w: NewWorkflowVersion): void {
      addVersion(w)
    },
    /** Whom the workflow belongs to, or undefined for a workflow that has no version. */
    owner(workspace: string, name: string): string | undefined {
      return ownerOf.get(workspace, name)?.owner
    },
    /** Whom the workflow of the version stored as `id` belongs to (without reading the version), or undefined for an id no version has. */
    ownerOfVersion(id: number): string | undefined {
      return ownerOfVersion.get(id)?.owner
    },
    get(id: number): WorkflowRecord | undefined {
      const row = byId.get(id)
      return row && toWorkflow(row)
    },
    version(workspace: string, name: string, version: string): WorkflowRecord | undefined {
      const row = byVersion.get(workspace, name, version)
      return row && toWorkflow(row)
    },
    versions(workspace: string, name: string): { version: string; createdAt: number }[] {
      return versions.all(workspace, name).map((r) => ({ version: r.version, createdAt: r.created_at }))
    },
    /**
     * Removes a workflow's versions, aliases and owner in one transaction; false when it had none.
     * Throws SQLite's foreign key error while a job still names one of its versions (the caller checks first).
     */
    /** How many kept jobs (executions, sub-workflow runs) name one of the workflow's versions. */
    jobCount(workspace: string, name: string): number {
      return jobsOf.get(workspace, name)!.n
    },
    /** Deletes a workflow's versions, aliases and owner row, and with that row its gray rules (foreign key); false when it had none. */
    remove(workspace: string, name: string): boolean {
      return removeAll(workspace, name)
    },
    setAlias(workspace: string, name: string, alias: string, version: string): void {
      putAlias.run(workspace, name, alias, version)
    },
    removeAlias(workspace: string, name: string, alias: string): boolean {
      return delAlias.run(workspace, name, alias).changes > 0
    },
    alias(workspace: string, name: string, alias: string): string | undefined {
      return getAlias.get(workspace, name, alias)?.version
    },
    aliases(workspace: string, name: string): Record<string, string> {
      return Object.fromEntries(aliases.all(workspace, name).map((r) => [r.alias, r.version]))
    },
    /** Every workflow, most recently stored first; only `owner`'s when given. */
    list(owner?: string): WorkflowSummary[] {
      return summaries(owner ?? null, { limit: -1, offset: 0 }).map(toSummary) // -1: SQLite's "no limit"
    },
    /**
     * A page of the workflows (`limit` rows from `offset`; limit -1: all), most recently stored first,
     * and how many there are; only `owner`'s when given. One query for the page, one for the total.
     */
    page(owner: string | undefined, p: { limit: number; offset: number }): { items: WorkflowSummary[]; total: number } {
      return { items: summaries(owner ?? null, p).map(toSummary), total: workflowCount(owner ?? null) }
    },
    /** How many workflows (names) `owner` holds: a refused store asks it each time, so it reads the owner index alone. */
    countOfOwner(owner: string): number {
      return ownedCount.get(owner)!
    },
    /** How many aliases a workflow holds (0 for none). */
    aliasCount(workspace: string, name: string): number {
      return aliasCount.get(workspace, name)!
    },
    /** How many aliases the workflows of `owner` hold together. */
    aliasCountOfOwner(owner: string): number {
      return aliasCountOfOwner.get(owner)!
    },
    /** How many versions a workflow holds (0 for none). */
    versionCount(workspace: string, name: string): number {
      return versionCount.get(workspace, name)!
    },
    /**
     * A page of the aliases of the workflows (the console's definitions list): each with the version
     * it names, when the workflow's first version was stored and when that version was (epoch ms),
     * most recently updated first; filtered by owner, workspace (business) and name (feature) when
     * given; and how many match.
     */
    definitions(f: { owner?: string; workspace?: string; name?: string }, p: { limit: number; offset: number }): { items: DefinitionRecord[]; total: number } {
      const filter: DefinitionFilter = { owner: f.owner ?? null, business: f.workspace ?? null, feature: f.name ?? null }
      return { items: definitions(filter, p), total: definitionCount(filter) }
    },
    /** The workspaces (business ids) that have a workflow; only `owner`'s when given. */
    workspaces(owner?: string): string[] {
      return workspaces.all({ owner: owner ?? null }).map((r) => r.workspace)
    },
    /** The workflow names (feature names) of a workspace; only `owner`'s when given. */
    names(workspace: string, owner?: string): string[] {
      return names.all({ workspace, owner: owner ?? null }).map((r) => r.name)
    },
  }
}
