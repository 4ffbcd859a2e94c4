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

const toWorkflow = (r: WorkflowRow): WorkflowRecord => ({
  id: r.id,
  workspace: r.workspace,
  name: r.name,
  version: r.version,
  format: r.format,
  source: r.source,
  parsed: JSON.parse(r.parsed) as unknown,
  createdBy: r.created_by,
  createdAt: r.created_at,
})


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
  const summaries = db.prepare<[], { workspace: string; name: string; versions: number; latest_id: number; updated_at: number }>(
    `SELECT workspace, name, count(*) AS versions, max(id) AS latest_id, max(created_at) AS updated_at
     FROM workflows GROUP BY workspace, name ORDER BY updated_at DESC`,
  )
  const creators = db.prepare<[string, string], { created_by: string }>(
    'SELECT DISTINCT created_by FROM workflows WHERE workspace = ? AND name = ? AND created_by IS NOT NULL',
  )
  const workspaces = db.prepare<[], { workspace: string }>('SELECT DISTINCT workspace FROM workflows ORDER BY workspace')
  const names = db.prepare<[string], { name: string }>('SELECT DISTINCT name FROM workflows WHERE workspace = ? ORDER BY name')

  return {
    /** Stores a version unless the same text is already stored; returns the stored record either way. */
    add(w: Omit<WorkflowRecord, 'id' | 'createdAt'>): WorkflowRecord {
      insert.run({ ...w, parsed: JSON.stringify(w.parsed), createdBy: w.createdBy, now: now() })
      return toWorkflow(byVersion.get(w.workspace, w.name, w.version)!)
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
    list(): WorkflowSummary[] {
      return summaries.all().map((r) => ({
        workspace: r.workspace,
        name: r.name,
        versions: r.versions,
        latestVersion: byId.get(r.latest_id)!.version,
        updatedAt: r.updated_at,
        aliases: Object.fromEntries(aliases.all(r.workspace, r.name).map((a) => [a.alias, a.version])),
      }))
    },
    /** Who saved any version of the workflow: its owners for owner-or-admin checks. */
    creators(workspace: string, name: string): string[] {
      return creators.all(workspace, name).map((r) => r.created_by)
    },
    workspaces(): string[] {
      return workspaces.all().map((r) => r.workspace)
    },
    names(workspace: string): string[] {
      return names.all(workspace).map((r) => r.name)
    },
  }
}
