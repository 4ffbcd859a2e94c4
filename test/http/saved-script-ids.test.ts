// A saved script's id is never given to another script (atk21 follow-up): an editor saves over the
// script it has open by {id, updatedAt}, and an id handed out again after the newest script was
// deleted names another script. Ids grow (AUTOINCREMENT, migration 022), also for a database from
// before, whose scripts keep their ids.
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { MIGRATIONS } from '../../electron/store/migrations'
import savedScriptIds from '../../electron/store/migrations/022-saved-script-ids'
import { appSuite } from '../support/app-suite'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'
import type { TestUser } from '../support/users'

let bob: TestUser
let carol: TestUser
const suite = appSuite('bob', 'carol')
beforeAll(() => ({ users: { bob, carol } } = suite))

async function save(as: TestUser, path: string): Promise<number> {
  const res = await as.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code: `select '${path}'` })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body.id
}

describe('saved script ids', () => {
  it('never gives the id of a deleted script to a new one, not even another user’s', async () => {
    await save(bob, 'a.sql')
    const newest = await save(bob, 'b.sql')
    const gone = await bob.call('DELETE', '/api/v1/saved-scripts?path=b.sql')
    expect([gone.status, gone.body]).toEqual([200, { deleted: 1 }])
    expect(await save(carol, 'c.sql')).toBeGreaterThan(newest)
  })

  it('keeps the ids of a database from before and hands out none of them again', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, MIGRATIONS.indexOf(savedScriptIds), (old) =>
      old.exec(`INSERT INTO saved_scripts (id, owner, path, kind, language, code, created_at, updated_at) VALUES
        (4, 'bob', 'a.sql', 'script', 'sql', 'select 1', 1, 2), (9, 'bob', 'docs', 'folder', NULL, '', 3, 3)`),
    )
    const db = openDatabase(file)
    try {
      expect(db.prepare('SELECT id, owner, path, kind, language, code, created_at, updated_at FROM saved_scripts ORDER BY id').all()).toEqual([
        { id: 4, owner: 'bob', path: 'a.sql', kind: 'script', language: 'sql', code: 'select 1', created_at: 1, updated_at: 2 },
        { id: 9, owner: 'bob', path: 'docs', kind: 'folder', language: null, code: '', created_at: 3, updated_at: 3 },
      ])
      db.exec('DELETE FROM saved_scripts WHERE id = 9')
      db.exec("INSERT INTO saved_scripts (owner, path, kind, created_at, updated_at) VALUES ('carol', 'x', 'folder', 4, 4)")
      expect(db.prepare("SELECT id FROM saved_scripts WHERE owner = 'carol'").pluck().get()).toBe(10)
    } finally {
      db.close()
    }
  })
})
