// #9 tfui L2: an import check with one refused new label (a vertex label with no primary key) before a
// good new label (`parts`, a folder's) said for each of the folder's files "vertex label [parts] not
// found in schema": the schema was parsed whole and, refused, left no new label known. Now each label
// is parsed on its own: the refusal is the problem of the mapping onto that label (its `file`, field
// `schema`), and the good label's files are sampled against it.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { upload } from '../support/upload-files'

let t: TestApp
const suite = appSuite()
beforeAll(() => ({ t } = suite))

describe('Check with one refused new label among good ones', () => {
  it("puts the refusal on the refused label's mapping only", async () => {
    upload(t.dir, 'parts/p0.csv', 'id,name\n1,a\n')
    upload(t.dir, 'parts/p1.csv', 'id,name\n2,b\n')
    upload(t.dir, 'bad.csv', 'id\n1\n')
    const schema = [
      { label: 'bad', type: 'VERTEX', properties: [{ name: 'id', type: 'INT64' }] },
      { label: 'parts', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] },
    ]
    const files = [
      { path: 'bad.csv', format: 'CSV', label: 'bad', columns: ['id'], header: 1 },
      { path: 'parts', format: 'CSV', label: 'parts', columns: ['id', 'name'], header: 1 },
    ]
    const check = await t.call('POST', '/api/v1/imports/check', { graph: 'default', schema, files })
    expect(check.status, JSON.stringify(check.body)).toBe(200)
    expect(check.body.ok).toBe(false)
    expect(check.body.problems).toEqual([{ severity: 'error', code: 'invalid_schema', message: 'Label[bad]: Missing "primary" or "properties" definition', field: 'schema', file: 'bad.csv' }])
    expect(check.body.files.map((f: { path: string }) => f.path)).toEqual(['parts/p0.csv', 'parts/p1.csv'])
  })
})
