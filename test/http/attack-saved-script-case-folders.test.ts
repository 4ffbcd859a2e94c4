// Attack (#9 data, saved scripts): saved-script paths are case-sensitive (`docs` and `Docs` are two
// folders side by side), but the store finds "everything under a folder" with SQLite's LIKE
// (store/saved-script.repository.ts: `path LIKE 'docs/%' ESCAPE '\'`), and LIKE ignores ASCII case.
// So deleting the folder `docs` also deletes everything in `Docs`, and moving `docs` also moves
// `Docs`'s scripts into the new folder (leaving `Docs` empty). The escape of % and _ shows the rule
// was meant to match only the folder's own entries.
// Measured over real HTTP (served app, load average 10-12): with docs/a.sql and Docs/keep.sql,
// DELETE /api/v1/saved-scripts?path=docs answered {"deleted": 3} and Docs/keep.sql was gone; with
// docs and DOCS/keep.sql, POST /api/v1/saved-scripts/move {from: docs, to: moved} answered
// {"moved": 2} and DOCS/keep.sql had become moved/keep.sql.
// Expected: a delete or move of a folder touches that folder and its own entries only.
// This test FAILS until the match under a folder is case-sensitive.
import { beforeAll, describe, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let bob: TestUser

const suite = appSuite('bob')
beforeAll(() => ({ users: { bob } } = suite))

const folder = (path: string) => bob.call('POST', '/api/v1/saved-scripts/folders', { path })
const save = (path: string) => bob.call('POST', '/api/v1/saved-scripts', { path, language: 'sql', code: `select '${path}'` })
const paths = async (): Promise<string[]> => ((await bob.call('GET', '/api/v1/saved-scripts')).body as { path: string }[]).map((e) => e.path).sort()

describe('attack: folders whose names differ only in case', () => {
  it('deleting docs leaves Docs and its script alone', async () => {
    for (const made of [await folder('docs'), await folder('Docs'), await save('docs/a.sql'), await save('Docs/keep.sql')]) expect(made.status, JSON.stringify(made.body)).toBe(201)
    const res = await bob.call('DELETE', '/api/v1/saved-scripts?path=docs')
    expect(res.status).toBe(200)
    expect(await paths()).toEqual(['Docs', 'Docs/keep.sql'])
    expect(res.body.deleted).toBe(2)
  })

  it('moving notes leaves NOTES and its script where they were', async () => {
    for (const made of [await folder('notes'), await folder('NOTES'), await save('NOTES/keep.sql')]) expect(made.status, JSON.stringify(made.body)).toBe(201)
    const res = await bob.call('POST', '/api/v1/saved-scripts/move', { from: 'notes', to: 'moved' })
    expect(res.status).toBe(200)
    expect((await paths()).filter((p) => !p.startsWith('Docs'))).toEqual(['NOTES', 'NOTES/keep.sql', 'moved'])
    expect(res.body.moved).toBe(1)
  })
})
