// newuser trial L4: an import mapping with fields of the wrong type answered `"columns" is not array
// in json {…}` with no `field`, and never said that `path` 123 was wrong; `"header": 1e308` was taken
// as an integer ("1e+308 header lines were expected"). One check (graph/import/mapping.ts) serves the
// native Check and Start and TuGraph's import_data: each bad field is listed, the first is `field`.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { expectError, tugraphClient } from '../tugraph/support'

let t: TestApp
const suite = appSuite()
beforeAll(() => ({ t } = suite))

const WRONG = { path: 123, format: 'XLS', label: [], columns: 'id', header: -5 }
const EVERY = /files\[0\]\.path: must be a string.*files\[0\]\.format: .*files\[0\]\.label: .*files\[0\]\.columns: .*files\[0\]\.header: /

describe('an import file mapping with fields of the wrong type', () => {
  it('Check answers the problem naming files[0].path, its message listing each bad field', async () => {
    const r = await t.call('POST', '/api/v1/imports/check', { graph: 'default', files: [WRONG] })
    // Check answers what it finds as problems (200, ok false), as for every other mapping error
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    expect(r.body.ok).toBe(false)
    expect(r.body.problems).toHaveLength(1)
    expect(r.body.problems[0]).toMatchObject({ code: 'invalid_mapping', field: 'files[0].path' })
    expect(r.body.problems[0].message).toMatch(EVERY)
  })

  it('Start answers the same', async () => {
    const r = await t.call('POST', '/api/v1/imports', { graph: 'default', files: [WRONG] })
    expect(r.status, JSON.stringify(r.body)).toBe(400)
    expect(r.body.error).toMatchObject({ code: 'invalid_mapping', field: 'files[0].path' })
    expect(r.body.error.message).toMatch(EVERY)
  })

  it('a header of 1e308 or 1001 lines is refused naming files[0].header and its range; 1000 is taken', async () => {
    for (const header of [1e308, 1001, 2.5]) {
      const r = await t.call('POST', '/api/v1/imports/check', { graph: 'default', files: [{ path: 'x.csv', format: 'CSV', label: 'person', columns: ['id'], header }] })
      expect(r.body.problems, JSON.stringify(r.body)).toEqual([expect.objectContaining({ code: 'invalid_mapping', field: 'files[0].header', message: expect.stringMatching(/^files\[0\]\.header: must be an integer from 0 to 1000/) })])
      const started = await t.call('POST', '/api/v1/imports', { graph: 'default', files: [{ path: 'x.csv', format: 'CSV', label: 'person', columns: ['id'], header }] })
      expect(started.status).toBe(400)
      expect(started.body.error).toMatchObject({ code: 'invalid_mapping', field: 'files[0].header' })
    }
    const ok = await t.call('POST', '/api/v1/imports/check', { graph: 'default', files: [{ path: 'x.csv', format: 'CSV', label: 'person', columns: ['id'], header: 1000 }] })
    expect(JSON.stringify(ok.body)).not.toMatch(/header/)
  })

  it("TuGraph's import_data says the same, its fields under schema.", async () => {
    const c = tugraphClient(t.url)
    await c.login()
    const a = await c.post('import_data', { graph: 'default', delimiter: ',', schema: { files: [WRONG] } })
    expectError(a, '400', /schema\.files\[0\]\.path: must be a string.*schema\.files\[0\]\.header: /)
  })
})
