import type { Db } from './connection'

export type GrayRuleRepository = ReturnType<typeof createGrayRuleRepository>

/**
 * Rill Flow gray rules, one row per workflow and alias (table workflow_gray_rules, migration 024):
 * a change touches its own row alone. A rule belongs to a stored workflow (foreign key to
 * workflow_owners) and is deleted with it. The limits and checks are workflows/rillflow/gray-rules.ts's.
 */
export function createGrayRuleRepository(db: Db, now: () => number) {
  const list = db.prepare<[string, string], { alias: string; rule: string }>(
    'SELECT alias, rule FROM workflow_gray_rules WHERE workspace = ? AND name = ? ORDER BY id',
  )
  const count = db.prepare<[string, string], number>('SELECT count(*) FROM workflow_gray_rules WHERE workspace = ? AND name = ?').pluck()
  const ofOwner = db.prepare<[string], number>(
    'SELECT count(*) FROM workflow_gray_rules r JOIN workflow_owners o ON o.workspace = r.workspace AND o.name = r.name WHERE o.owner = ?',
  ).pluck()
  const has = db.prepare<[string, string, string], number>('SELECT 1 FROM workflow_gray_rules WHERE workspace = ? AND name = ? AND alias = ?').pluck()
  // ON CONFLICT … UPDATE keeps the row (and its id), so a replaced rule keeps its place in the order
  const upsert = db.prepare(
    `INSERT INTO workflow_gray_rules (workspace, name, alias, rule, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace, name, alias) DO UPDATE SET rule = excluded.rule, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
  )
  const remove = db.prepare('DELETE FROM workflow_gray_rules WHERE workspace = ? AND name = ? AND alias = ?')
  return {
    /** A workflow's rules, alias → rule, in the order they were first set ({} for none). */
    of(workspace: string, name: string): Record<string, string> {
      const rules: Record<string, string> = {}
      for (const r of list.all(workspace, name)) rules[r.alias] = r.rule
      return rules
    },
    /** How many rules a workflow holds. */
    count(workspace: string, name: string): number {
      return count.get(workspace, name) ?? 0
    },
    /** How many rules the workflows `owner` owns hold together. */
    countOfOwner(owner: string): number {
      return ofOwner.get(owner) ?? 0
    },
    /** Whether a workflow holds a rule for `alias`. */
    has(workspace: string, name: string, alias: string): boolean {
      return has.get(workspace, name, alias) !== undefined
    },
    /**
     * Sets `alias`'s rule, by user `by` (ms since the epoch recorded). Throws SQLITE_CONSTRAINT_FOREIGNKEY
     * when the workflow is not stored (workflow_owners has no row for it).
     */
    put(workspace: string, name: string, alias: string, rule: string, by: string): void {
      upsert.run(workspace, name, alias, rule, by, now())
    },
    /** Removes `alias`'s rule; false when there was none. */
    remove(workspace: string, name: string, alias: string): boolean {
      return remove.run(workspace, name, alias).changes > 0
    },
  }
}
