import type { WorkflowSummary } from '../../shared/workflows'
import type { Db } from './connection'

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
export const RILLFLOW_LOOPBACK_USER = 'rillflow'

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
  const summaries = db.prepare<[{ owner: string | null }], { workspace: string; name: string; owner: string; versions: number; latest_id: number; updated_at: number }>(
    `SELECT w.workspace, w.name, o.owner, count(*) AS versions, max(w.id) AS latest_id, max(w.created_at) AS updated_at
     FROM workflows w JOIN workflow_owners o ON o.workspace = w.workspace AND o.name = w.name
     WHERE @owner IS NULL OR o.owner = @owner
     GROUP BY w.workspace, w.name ORDER BY updated_at DESC`,
  )
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
    /** Every workflow, most recently changed first; only `owner`'s when given. */
    list(owner?: string): WorkflowSummary[] {
      return summaries.all({ owner: owner ?? null }).map((r) => ({
        workspace: r.workspace,
        name: r.name,
        owner: r.owner,
        versions: r.versions,
        latestVersion: byId.get(r.latest_id)!.version,
        updatedAt: r.updated_at,
        aliases: Object.fromEntries(aliases.all(r.workspace, r.name).map((a) => [a.alias, a.version])),
      }))
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
