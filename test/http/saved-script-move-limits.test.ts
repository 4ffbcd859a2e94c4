// Saved-script paths keep their limits through a folder move (#9, atk23): what a folder holds, re-rooted
// at `to`, is checked against the depth and length limits of every other path (services/saved-scripts.ts);
// a move that would break them is refused naming `to` and the path that would, and nothing moves. A
// script an older version already moved past the limits stays reachable by its path: it can be opened,
// saved, moved up and deleted, while nothing new is made past them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { checkPath } from '../../electron/services/saved-scripts'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t.close())

const listed = async () => ((await t.call('GET', '/api/v1/saved-scripts')).body as { path: string }[]).map((e) => e.path)
const save = (path: string, code = 'select 1;', more: object = {}) => t.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code, ...more })
const q = (path: string) => `path=${encodeURIComponent(path)}`

describe('moving a folder keeps every path under it within the limits', () => {
  it('refuses a move that makes a script too deep, naming to and the script, and moves nothing', async () => {
    expect((await save('a/b/c/d/e/f/g/leaf')).status).toBe(201)
    expect((await save('a/top')).status).toBe(201)
    const before = await listed()
    const moved = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'a', to: 'x/y/a' })
    expect(moved.status).toBe(400)
    expect(moved.body.error).toMatchObject({
      code: 'bad_path',
      field: 'to',
      message: 'to would move a/b/c/d/e/f/g/leaf to x/y/a/b/c/d/e/f/g/leaf, and a path may be at most 8 folders deep',
    })
    expect(await listed()).toEqual(before)
    // one level down still fits: 8 names
    expect((await t.call('POST', '/api/v1/saved-scripts/move', { from: 'a/b', to: 'b' })).status).toBe(200)
    expect(await listed()).toContain('b/c/d/e/f/g/leaf')
  })

  it('refuses a move that makes a path longer than 500 characters', async () => {
    const long = `p/${['n', 'm', 'k', 'j'].map((c) => c.repeat(100)).join('/')}` // 406 characters, 5 names
    expect((await save(long)).status).toBe(201)
    const to = `${'q'.repeat(100)}/${'r'.repeat(99)}` // 200 characters: `long` would be 604
    const moved = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'p', to })
    expect(moved.status).toBe(400)
    expect(moved.body.error).toMatchObject({ code: 'bad_path', field: 'to' })
    expect(moved.body.error.message).toBe(`to would move ${long} to ${to}${long.slice(1)}, and a path is longer than 500 characters`)
    expect(await listed()).toContain(long)
  })
})

describe('a script an older version left past the limits', () => {
  // as an older version's folder move left them: written straight into the store
  const deep = 'old/1/2/3/4/5/6/7/8/deep' // 10 names
  const long = `wide/${['a', 'b', 'c', 'd', 'e', 'f'].map((c) => c.repeat(100)).join('/')}` // 611 characters
  beforeAll(() => {
    for (const path of [deep, long]) t.app.store.savedScripts.insert({ owner: DEFAULT_ADMIN.username, path, kind: 'script', language: 'sql', code: 'select 2;' })
  })

  it('can be opened and saved where it is', async () => {
    for (const path of [deep, long]) {
      const read = await t.call('GET', `/api/v1/saved-scripts/script?${q(path)}`)
      expect(read.status, path).toBe(200)
      expect(read.body.code).toBe('select 2;')
      const saved = await save(path, 'select 3;', { expect: { id: read.body.id, updatedAt: read.body.updatedAt } })
      expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    }
  })

  it('can be moved up, but not to a place still past the limits', async () => {
    const still = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'old/1/2/3/4/5/6/7/8', to: 'old/1/2/3/4/5/6/7/8b' })
    expect(still.status).toBe(400)
    expect(still.body.error).toMatchObject({ code: 'bad_path', field: 'to' })
    const up = await t.call('POST', '/api/v1/saved-scripts/move', { from: 'old/1/2/3/4/5/6/7/8', to: 'up' })
    expect(up.status, JSON.stringify(up.body)).toBe(200)
    expect(await listed()).toContain('up/deep')
  })

  it('can be deleted', async () => {
    const gone = await t.call('DELETE', `/api/v1/saved-scripts?${q(long)}`)
    expect(gone.status, JSON.stringify(gone.body)).toBe(200)
    expect(gone.body.deleted).toBe(1)
    expect(await listed()).not.toContain(long)
  })

  it('is no way to make a new one past the limits', async () => {
    for (const path of ['old/1/2/3/4/5/6/7/new', `${long.slice(0, -1)}z`]) {
      const made = await save(path)
      expect(made.status, path).toBe(400)
      expect(made.body.error).toMatchObject({ code: 'bad_path', field: 'path' })
    }
    expect((await t.call('POST', '/api/v1/saved-scripts/folders', { path: 'old/1/2/3/4/5/6/7/new' })).status).toBe(400)
  })
})

describe('a path longer than any entry may be named by (2000 characters)', () => {
  it('is refused before its names are read, over HTTP or IPC (checkPath: no route schema there)', () => {
    const huge = `${'x'.repeat(99)}/`.repeat(10_000)
    for (const use of ['new', 'existing'] as const) {
      expect(() => checkPath(huge, 'path', use)).toThrow('path is longer than 2000 characters')
    }
  })

  it('leaves an entry stored even longer reachable through its folder: listed, and deleted with it', async () => {
    const folder = 'far'
    const path = `${folder}/${Array.from({ length: 25 }, (_, i) => String(i % 10).repeat(99)).join('/')}` // 2,503 characters
    t.app.store.savedScripts.insert({ owner: DEFAULT_ADMIN.username, path, kind: 'script', language: 'sql', code: 'select 4;' })
    expect(await listed()).toContain(path)
    expect((await t.call('GET', `/api/v1/saved-scripts/script?${q(path)}`)).status).toBe(400)
    const gone = await t.call('DELETE', `/api/v1/saved-scripts?${q(folder)}`)
    expect(gone.body, JSON.stringify(gone.body)).toMatchObject({ deleted: 1 })
    expect(await listed()).not.toContain(path)
  })
})
