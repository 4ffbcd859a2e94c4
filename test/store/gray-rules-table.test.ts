// Migration 024 (#9): Rill Flow gray rules move from the one settings row every workflow shared
// (`rillflow.grayRules`, {"ws:dag": {alias: rule}}, rewritten whole on each change) to a row each
// in workflow_gray_rules. A database from before keeps every rule of a stored workflow, in its order,
// so get_gray.json answers as before; a rule whose alias is not an alias name (releases before atk28
// took `rel\u202Eease` and 5,000-character names) or whose workflow is no longer stored is dropped,
// and the upgrade says how many.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { migrate, type Db } from '../../electron/store/connection'
import { createGrayRuleRepository } from '../../electron/store/gray-rule.repository'
import { MIGRATIONS, runMigration } from '../../electron/store/migrations'
import workflowGrayRules from '../../electron/store/migrations/024-workflow-gray-rules'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

/** The schema version just before 024, wherever the list puts it. */
const BEFORE = MIGRATIONS.indexOf(workflowGrayRules)

let db: Db | undefined
afterEach(() => {
  db?.close()
  db = undefined
})

/** A database of the layout before 024, with `rules` in the old settings row and `owned` workflows stored. */
function oldLayout(rules: Record<string, Record<string, string>>, owned: [string, string, string][]): string {
  const file = join(tempDir(), 'old.db')
  expect(BEFORE).toBeGreaterThan(0)
  oldDatabase(file, BEFORE, (old) => {
    for (const o of owned) old.prepare('INSERT INTO workflow_owners (workspace, name, owner) VALUES (?, ?, ?)').run(...o)
    old.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('rillflow.grayRules', JSON.stringify(rules))
  })
  return file
}

const open = (file: string): Db => {
  db = new Database(file)
  db.pragma('foreign_keys = ON') // as openDatabase sets it
  return db
}

describe('gray rules in their own table (migration 024)', () => {
  it('moves the rules of stored workflows in their order, drops bad aliases and orphans, and says how many', () => {
    const file = oldLayout(
      {
        'ws:daily': { canary: 'rand(100) < 10', ['rel\u202Eease']: 'true', beta: 'rand(100) < 50', ['a'.repeat(5_000)]: 'true' },
        'ws:other': { v2: 'false' },
        'ws:gone': { canary: 'true' },
      },
      [['ws', 'daily', 'bob'], ['ws', 'other', 'alice']],
    )
    const said: string[] = []
    const d = open(file)
    migrate(d, (line) => said.push(line))
    expect(d.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const rules = createGrayRuleRepository(d, () => 42)
    expect(Object.entries(rules.of('ws', 'daily'))).toEqual([['canary', 'rand(100) < 10'], ['beta', 'rand(100) < 50']])
    expect(rules.of('ws', 'other')).toEqual({ v2: 'false' })
    expect(rules.of('ws', 'gone')).toEqual({})
    expect(d.prepare("SELECT count(*) FROM settings WHERE key = 'rillflow.grayRules'").pluck().get()).toBe(0)
    expect(said).toEqual(['jobdesk: moved 3 Rill Flow gray rules to their own table; dropped 2 whose alias is not an alias name and 1 of workflows no longer stored'])

    // harmless if run again (it may stand at another position when branches meet)
    runMigration(d, workflowGrayRules, (line) => said.push(line))
    expect(Object.keys(rules.of('ws', 'daily'))).toEqual(['canary', 'beta'])
    expect(said).toHaveLength(1)

    // a rule belongs to a stored workflow and goes with it
    expect(() => rules.put('ws', 'gone', 'canary', 'true', 'bob')).toThrow(/FOREIGN KEY/)
    d.prepare("DELETE FROM workflow_owners WHERE workspace = 'ws' AND name = 'daily'").run()
    expect(rules.of('ws', 'daily')).toEqual({})
    expect(rules.of('ws', 'other')).toEqual({ v2: 'false' })
  })

  it('upgrades a database with no gray rules silently', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, BEFORE)
    const said: string[] = []
    const d = open(file)
    migrate(d, (line) => said.push(line))
    expect(d.prepare('SELECT count(*) FROM workflow_gray_rules').pluck().get()).toBe(0)
    expect(said).toEqual([])
  })
})
