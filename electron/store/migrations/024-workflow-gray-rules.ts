// Rill Flow gray rules get their own table (#9, atk28 follow-up). They lived in one settings row
// (`rillflow.grayRules`: {"ws:dag": {alias: rule}}) shared by every workflow, read and rewritten whole
// on each change: any owner could grow it for everyone, and each change rewrote everyone's rules.
// Now one row per rule, which a workflow's change touches alone. A rule belongs to a stored workflow
// (foreign key to workflow_owners, gone with it): rules left under a name no one owns are not moved,
// nor are those whose alias is not an alias name (the check modify_gray.json now makes, assertAlias);
// the upgrade says how many it dropped. A function, not SQL, for that check and that line.
// IF NOT EXISTS, and the old row is deleted once moved: harmless at any position and if run again
// (another branch numbers a migration 023 at the same time).
import type { Db } from '../connection'
import { aliasProblem } from '../../../shared/rillflow-names'

const OLD_KEY = 'rillflow.grayRules'

export default function workflowGrayRules(db: Db, say: (line: string) => void): void {
  db.exec(`
CREATE TABLE IF NOT EXISTS workflow_gray_rules (
  id INTEGER PRIMARY KEY,
  workspace TEXT NOT NULL,
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  rule TEXT NOT NULL,
  updated_by TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (workspace, name, alias),
  FOREIGN KEY (workspace, name) REFERENCES workflow_owners (workspace, name) ON DELETE CASCADE
);`)
  const row = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?').get(OLD_KEY)
  if (!row) return
  let all: unknown
  try {
    all = JSON.parse(row.value)
  } catch {
    all = {}
  }
  const owned = db.prepare<[string, string], number>('SELECT 1 FROM workflow_owners WHERE workspace = ? AND name = ?').pluck()
  const insert = db.prepare('INSERT OR IGNORE INTO workflow_gray_rules (workspace, name, alias, rule, updated_by, updated_at) VALUES (?, ?, ?, ?, NULL, ?)')
  const now = Date.now()
  let badAlias = 0
  let unowned = 0
  let moved = 0
  for (const [key, rules] of Object.entries(all && typeof all === 'object' ? all : {})) {
    // keys are `workspace:dagName`, names of letters and digits (descriptor/validate.ts NAME_PATTERN)
    const colon = key.indexOf(':')
    const [workspace, name] = colon < 0 ? [key, ''] : [key.slice(0, colon), key.slice(colon + 1)]
    const known = owned.get(workspace, name) !== undefined
    for (const [alias, rule] of Object.entries(rules && typeof rules === 'object' ? (rules as Record<string, unknown>) : {})) {
      if (aliasProblem(alias) || typeof rule !== 'string') badAlias++
      else if (!known) unowned++
      else moved += insert.run(workspace, name, alias, rule, now).changes
    }
  }
  db.prepare('DELETE FROM settings WHERE key = ?').run(OLD_KEY)
  if (moved + badAlias + unowned > 0) {
    say(`jobdesk: moved ${moved} Rill Flow gray rule${moved === 1 ? '' : 's'} to their own table; dropped ${badAlias} whose alias is not an alias name and ${unowned} of workflows no longer stored`)
  }
}
