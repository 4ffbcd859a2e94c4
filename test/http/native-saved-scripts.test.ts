// Saved scripts in a tree, per user (#13.5): create, rename/move, delete, folders; and the scratch
// database's tables and columns. Each user reaches only their own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const paths = async (call: TestApp['call'] = t.call) => ((await call('GET', '/api/v1/saved-scripts')).body as { path: string; kind: string }[]).map((e) => `${e.kind === 'folder' ? 'd' : 's'} ${e.path}`)

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 30_000)
afterAll(() => t.close())

describe('saved scripts', () => {
  it('saves scripts in folders, reads one back, and refuses to overwrite unless asked', async () => {
    const made = await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/daily', language: 'sql', code: 'select 1;' })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect(made.body).toMatchObject({ path: 'reports/daily', kind: 'script', language: 'sql', size: 9 })
    expect((await t.call('POST', '/api/v1/saved-scripts/folders', { path: 'empty' })).status).toBe(201)
    expect(await paths()).toEqual(['d empty', 's reports/daily'])
    const again = await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/daily', language: 'sql', code: 'select 2;' })
    expect(again.status).toBe(409)
    const over = await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/daily', language: 'sql', code: 'select 2;', overwrite: true })
    expect(over.status).toBe(201)
    const read = await t.call('GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent('reports/daily')}`)
    expect(read.body.code).toBe('select 2;')
    // a script is no folder
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/daily/x', language: 'sql', code: '' })).status).toBe(409)
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: 'reports', language: 'sql', code: '' })).status).toBe(409)
  })

  it('renames a folder with everything in it, and deletes a folder with its contents', async () => {
    await t.call('POST', '/api/v1/saved-scripts', { path: 'reports/sub/weekly', language: 'python', code: 'print(1)' })
    await t.call('POST', '/api/v1/saved-scripts', { path: 'reports_x/other', language: 'shell', code: 'echo' }) // not under reports/
    const moved = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'reports', to: 'archive/2026' })
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body.moved).toBe(2)
    expect(await paths()).toEqual(['s archive/2026/daily', 's archive/2026/sub/weekly', 'd empty', 's reports_x/other'])
    expect((await t.call('POST', '/api/v1/saved-scripts/move', { from: 'archive', to: 'archive/deeper' })).status).toBe(400)
    expect((await t.call('POST', '/api/v1/saved-scripts/move', { from: 'archive', to: 'reports_x' })).status).toBe(409)
    expect((await t.call('POST', '/api/v1/saved-scripts/move', { from: 'nothing', to: 'x' })).status).toBe(404)
    const gone = await t.call('DELETE', '/api/v1/saved-scripts?path=archive')
    expect(gone.body).toEqual({ deleted: 2 })
    expect(await paths()).toEqual(['d empty', 's reports_x/other'])
  })

  it('names the field of a bad path', async () => {
    for (const path of ['a//b', '../x', 'a/./b', 'x\u0001y', ' / ', `a/${'x'.repeat(101)}`]) {
      const res = await t.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code: '' })
      expect(res.status, path).toBe(400)
      expect(res.body.error.field).toBe('path')
      // led by the field's name, so a form can say it in its own words (formError)
      expect(res.body.error.message, path).toMatch(/^path /)
    }
    // a move's bad target names `to`, the same way (the rename form says "The new path …")
    const long = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'reports_x/other', to: 'y'.repeat(101) })
    expect(long.status).toBe(400)
    expect(long.body.error).toMatchObject({ field: 'to', message: 'to has a name longer than 100 characters' })
    // past the limits, a new path is refused for its length before its characters are read; past
    // four times them, before the handler (an entry an older version stored stays within that)
    const spaced = `x${'\u3000'.repeat(90)}x\u202E/`.repeat(7) + 'x'
    expect((await t.call('POST', '/api/v1/saved-scripts', { path: spaced, language: 'sql', code: '' })).body.error).toMatchObject({ code: 'bad_path', message: 'path is longer than 500 characters' })
    const huge = await t.call('POST', '/api/v1/saved-scripts', { path: `${'x'.repeat(99)}/`.repeat(21), language: 'sql', code: '' })
    expect(huge.body.error).toMatchObject({ code: 'invalid_request', field: 'path', message: 'path must be 1 to 2000 characters' })
    const bad = await t.call('POST', '/api/v1/saved-scripts', { path: 'x', language: 'cobol', code: '' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('language')
  })

  it('keeps each user’s tree their own', async () => {
    expect(await paths(bob.call)).toEqual([])
    expect((await bob.call('GET', '/api/v1/saved-scripts/script?path=reports_x%2Fother')).status).toBe(404)
    expect((await bob.call('DELETE', '/api/v1/saved-scripts?path=empty')).status).toBe(404)
    await bob.call('POST', '/api/v1/saved-scripts', { path: 'empty', language: 'sql', code: 'select 3;' })
    expect(await paths()).toEqual(['d empty', 's reports_x/other'])
    expect(await paths(bob.call)).toEqual(['s empty'])
  })
})

describe('a save over the script the saver has open (expect)', () => {
  type Saved = { id: number; updatedAt: number; code: string }
  const save = (path: string, code: string, extra: object = {}, call: TestApp['call'] = t.call) => call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code, ...extra })
  const version = (s: Saved) => ({ id: s.id, updatedAt: s.updatedAt })
  const codeAt = async (path: string) => (await t.call('GET', `/api/v1/saved-scripts/script?path=${encodeURIComponent(path)}`)).body.code

  it('replaces the script while it is the one read, each save making a newer version', async () => {
    const first = (await save('open/one', 'select 1;')).body as Saved
    const second = await save('open/one', 'select 2;', { expect: version(first) })
    expect(second.status, JSON.stringify(second.body)).toBe(201)
    expect(second.body.id).toBe(first.id)
    expect(second.body.updatedAt).toBeGreaterThan(first.updatedAt) // even within one millisecond
    const third = await save('open/one', 'select 3;', { expect: version(second.body) })
    expect(third.status, JSON.stringify(third.body)).toBe(201)
    expect(await codeAt('open/one')).toBe('select 3;')
  })

  it('answers 409 script_gone when it was renamed or deleted since, and re-creates nothing', async () => {
    const read = (await save('open/renamed', 'select 1;')).body as Saved
    expect((await t.call('POST', '/api/v1/saved-scripts/move', { from: 'open/renamed', to: 'open/elsewhere' })).status).toBe(200)
    const late = await save('open/renamed', 'select 2;', { expect: version(read) })
    expect(late.status).toBe(409)
    expect(late.body.error).toMatchObject({ kind: 'conflict', code: 'script_gone' })
    expect(late.body.error.message).toContain('open/renamed')
    expect(await paths()).not.toContain('s open/renamed')
    expect(await codeAt('open/elsewhere')).toBe('select 1;')

    const doomed = (await save('open/deleted', 'select 1;')).body as Saved
    await t.call('DELETE', '/api/v1/saved-scripts?path=open%2Fdeleted')
    const after = await save('open/deleted', 'select 2;', { expect: version(doomed), overwrite: true })
    expect(after.status).toBe(409)
    expect(after.body.error.code).toBe('script_gone')
    expect(await paths()).not.toContain('s open/deleted')
  })

  it('answers 409 script_changed when another save, a rename there or a new script came since', async () => {
    const read = (await save('open/shared', 'select 1;')).body as Saved
    await save('open/shared', 'select "other tab";', { overwrite: true })
    const late = await save('open/shared', 'select 2;', { expect: version(read) })
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('script_changed')
    expect(await codeAt('open/shared')).toBe('select "other tab";')

    // deleted and made anew at the same path: another script (another id), however soon
    const old = (await save('open/again', 'select 1;')).body as Saved
    await t.call('DELETE', '/api/v1/saved-scripts?path=open%2Fagain')
    await save('open/again', 'select "new";')
    expect((await save('open/again', 'select 2;', { expect: version(old) })).body.error.code).toBe('script_changed')
    expect(await codeAt('open/again')).toBe('select "new";')
  })

  it('keeps a save without expect as it was, and names the field of a bad expect', async () => {
    expect((await save('open/plain', 'select 1;')).status).toBe(201)
    expect((await save('open/plain', 'select 2;', { overwrite: true })).status).toBe(201)
    expect((await save('open/plain', 'select 3;')).status).toBe(409)
    for (const expect_ of [{ id: 1 }, { id: 'x', updatedAt: 1 }, { id: 1, updatedAt: -1 }, 5]) {
      const res = await save('open/plain', 'select 4;', { expect: expect_ })
      expect(res.status, JSON.stringify(expect_)).toBe(400)
      expect(res.body.error.field, JSON.stringify(res.body)).toMatch(/^expect/)
    }
    expect(await codeAt('open/plain')).toBe('select 2;')
  })
})

describe('scratch tables', () => {
  it('lists the tables and views of the caller’s scratch database with their columns', async () => {
    expect((await bob.call('GET', '/api/v1/scratch/tables')).body).toEqual({ tables: [], truncated: false })
    const job = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'create table people (id INTEGER primary key, name TEXT not null, born date); create view adults as select name from people;' })
    await waitForStatus(t, job.body.id, ['succeeded'])
    const res = await t.call('GET', '/api/v1/scratch/tables')
    expect(res.status).toBe(200)
    expect(res.body.tables).toEqual([
      { name: 'adults', type: 'view', columns: [{ name: 'name', type: 'TEXT', notNull: false, primaryKey: false }] },
      {
        name: 'people',
        type: 'table',
        columns: [
          { name: 'id', type: 'INTEGER', notNull: false, primaryKey: true },
          { name: 'name', type: 'TEXT', notNull: true, primaryKey: false },
          { name: 'born', type: 'date', notNull: false, primaryKey: false },
        ],
      },
    ])
    expect((await bob.call('GET', '/api/v1/scratch/tables')).body.tables).toEqual([]) // bob's scratch database is his own
  })

  it('lists a scratch database wider than its column budget only in part, and says so', async () => {
    // 2,000 columns (SQLite's most) and 20 views of them: 42,000 columns, twice SCRATCH_LIST_LIMITS.columns
    const columns = Array.from({ length: 2000 }, (_, i) => `c${i} INTEGER`).join(', ')
    const views = Array.from({ length: 20 }, (_, i) => `CREATE VIEW v${String(i).padStart(2, '0')} AS SELECT * FROM w;`).join('\n')
    const job = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: `CREATE TABLE w (${columns});\n${views}` })
    await waitForStatus(t, job.body.id, ['succeeded']) // the admin sees bob's job
    const res = await bob.call('GET', '/api/v1/scratch/tables')
    expect(res.status).toBe(200)
    const list = res.body as { tables: { name: string; columns: { name: string }[]; columnsCut?: boolean }[]; truncated: boolean }
    expect(list.truncated).toBe(true)
    // every table and view is still named, in order; views first ('v' < 'w')
    expect(list.tables.map((x) => x.name)).toEqual([...Array.from({ length: 20 }, (_, i) => `v${String(i).padStart(2, '0')}`), 'w'])
    expect(list.tables.every((x) => x.columnsCut)).toBe(true)
    // the first 1,000 columns of each until 20,000 are listed, then names only
    expect(list.tables.map((x) => x.columns.length)).toEqual([...Array(20).fill(1000), 0])
    expect(list.tables[0].columns.slice(0, 2).map((c) => c.name)).toEqual(['c0', 'c1'])
  }, 60_000)
})
