// A SQL job cannot reach JobDesk's own database or the file system through SQLite (#9 §3):
// ATTACH (however it is written), VACUUM INTO and load_extension all fail with a clear error; so do
// the pragmas that would move its temporary files (atk13; every spelling: sql-pragma-guard.test.ts).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../electron/services/passwords'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'

let t: TestApp
let db: string
beforeAll(async () => {
  t = await startTestApp()
  db = join(t.dir, 'jobdesk.db')
  t.app.store.users.create({ username: 'bob', passwordHash: await hashPassword('bob-password-1'), isAdmin: false, mustChangePassword: false })
})
afterAll(() => t.close())

const runSql = async (code: string) => {
  const { body, status } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(status, JSON.stringify(body)).toBe(201)
  return waitForStatus(t, body.id, ['succeeded', 'failed'])
}

describe('SQL jobs stay in their scratch database', () => {
  const sq = (s: string) => `'${s.replace(/'/g, "''")}'`
  const escapes: [string, () => string, RegExp][] = [
    ['plain ATTACH', () => `ATTACH ${sq(db)} AS j;\nUPDATE j.users SET is_admin = 1 WHERE username = 'bob'`, /statement 1 of 2 \(line 1\): ATTACH is not allowed/],
    ['ATTACH of a computed name', () => `attach database (${sq(t.dir)} || '/jobdesk' || '.db') as "j"`, /ATTACH is not allowed/],
    ['ATTACH behind comments and odd case', () => `select 1;\n/* harmless */ AtTaCh -- really\n ${sq(db)}\n AS j`, /statement 2 of 2 \(line 2\): ATTACH is not allowed/],
    ['VACUUM INTO a file', () => `create table if not exists t(x); VACUUM INTO ${sq(join(t.dir, 'copy.db'))}`, /VACUUM INTO is not allowed/],
    ['load_extension', () => `select load_extension('/tmp/evil.so')`, /load_extension\(\) is not allowed/],
    ['temp_store_directory behind a schema, quotes and comments, in a script', () => `select 1;\n/* sort on tmpfs */ PRAGMA main."temp_store_directory" = '/dev/shm'`, /statement 2 of 2 \(line 2\): PRAGMA temp_store_directory is not allowed/],
    ['temp_store back to files, behind EXPLAIN', () => `EXPLAIN PRAGMA temp_store = FILE`, /statement 1 of 1 \(line 1\): PRAGMA temp_store is not allowed/],
    // SQLite itself also refuses a function with side effects in a view (trusted_schema off)
    ['load_extension from a view', () => `create view if not exists v as select load_extension('/tmp/evil.so');\nselect * from v`, /statement 2 of 2 \(line 2\): (unsafe use of )?load_extension\(\)/],
  ]
  it.each(escapes)('%s fails with a clear error', async (_name, code, message) => {
    const job = await runSql(code())
    expect(job.status).toBe('failed')
    expect(job.error).toMatch(message)
  })

  it('leaves jobdesk.db as it was: bob is no admin, no copy was written, the store is sound', async () => {
    expect(t.app.store.users.findByUsername('bob')?.isAdmin).toBe(false)
    expect(existsSync(join(t.dir, 'copy.db'))).toBe(false)
    expect(t.app.store.db.pragma('integrity_check', { simple: true })).toBe('ok')
    const job = await runSql('VACUUM; select 1 as ok') // plain VACUUM of the scratch database is fine
    expect(job.status, job.error).toBe('succeeded')
  })
})
