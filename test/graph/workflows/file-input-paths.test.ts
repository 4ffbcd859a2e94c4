// A graph workflow whose algorithm reads a file outside the user's upload folder is refused when it is
// saved or validated, naming the field, not only when it runs (#9.2; it used to be stored and called
// valid). Over real HTTP, as a second, non-admin user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../support/app'
import { addUser, type TestUser } from '../../support/users'

let t: TestApp
let bob: TestUser
beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
}, 30_000)
afterAll(() => t?.close())

const document = (path: string) => ({
  name: 'escape',
  components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'file', path } }],
  wires: [],
})

describe('graph workflow file inputs', () => {
  it.each([
    ['../admin/knows.csv', 'leaves your upload folder'],
    ['..\\admin\\knows.csv', 'leaves your upload folder'],
    ['/home/admin/knows.csv', 'is an absolute path'],
    ['C:\\Users\\admin\\knows.csv', 'is an absolute path'],
    ['C:/Users/admin/knows.csv', 'is an absolute path'],
    ['file:///home/admin/knows.csv', 'is a URL (file:)'],
  ])('refuses %s at validate and save, naming the field', async (path, why) => {
    const checked = await bob.call('POST', '/api/v1/graph-workflows/validate', { document: document(path) })
    expect(checked.status).toBe(200)
    expect(checked.body).toEqual({ valid: false, errors: [{ component: 'PageRank_1', field: 'components[0].input.path', message: `PageRank_1: input.path "${path}" ${why}${why.startsWith('leaves') ? ' ("..")' : '; give a path relative to your upload folder'}` }] })
    const saved = await bob.call('POST', '/api/v1/graph-workflows', { document: document(path) })
    expect(saved.status).toBe(400)
    expect(saved.body.error).toMatchObject({ code: 'invalid_workflow', field: 'document.components[0].input.path', message: expect.stringContaining(why) })
    expect((await bob.call('GET', '/api/v1/graph-workflows')).body).toEqual([]) // nothing was stored
  })

  it('stores a path inside the folder (the file is looked for when it runs)', async () => {
    const checked = await bob.call('POST', '/api/v1/graph-workflows/validate', { document: document('graphs/knows.csv') })
    expect(checked.body).toEqual({ valid: true, errors: [], warnings: [] })
    const saved = await bob.call('POST', '/api/v1/graph-workflows', { document: document('graphs/knows.csv') })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
  })
})
