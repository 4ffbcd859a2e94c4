// #9 lcimport (LOW): a path that runs through a FILE (`long.csv/x.csv`, long.csv an uploaded file)
// answered `500 internal` "see the JobDesk log" on files/upload, files/delete, imports/preview and
// imports/check (lstat of `long.csv/x.csv` throws ENOTDIR). Now a 400 path_invalid naming the field:
// "long.csv is a file, not a folder" (imports/check lists it as the file's problem, as it does a
// missing file; an import's start answers the 400).
import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { PERSON_SCHEMA, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  expect((await t.call('POST', '/api/v1/graphs/default/schema', { schema: PERSON_SCHEMA.schema })).status).toBe(200)
  upload(t.dir, 'long.csv', '1,Ann,30\n')
  const inner = upload(t.dir, 'd/inner.csv', '2,Bo,31\n')
  symlinkSync(inner, join(inner, '..', '..', 'ln.csv')) // a link inside the folder, to a file
}, 30_000)
afterAll(() => t?.close())

const refused = (res: { status: number; body: any }, field: string, name = 'long.csv') => {
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'path_invalid', field, message: expect.stringContaining(`goes through ${name}, which is a file, not a folder`) })
}

describe('a path through a file', () => {
  it('files/upload answers 400 naming path; nothing is written', async () => {
    for (const path of ['long.csv/x.csv', 'd/inner.csv/deeper/x.csv']) {
      const res = await fetch(`${t.url}/api/v1/files/upload?path=${encodeURIComponent(path)}&offset=0&replace=true`, {
        method: 'POST',
        headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/octet-stream' },
        body: '1,a,2\n',
      })
      refused({ status: res.status, body: await res.json() }, 'path', path.startsWith('d/') ? 'd/inner.csv' : 'long.csv')
    }
    expect((await t.call('GET', '/api/v1/files')).body).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'long.csv', bytes: 9 })]))
  })

  it('files/delete answers 400 naming path', async () => {
    refused(await t.call('POST', '/api/v1/files/delete', { path: 'long.csv/x.csv' }), 'path')
    refused(await t.call('POST', '/api/v1/files/delete', { path: 'ln.csv/x.csv' }), 'path', 'ln.csv') // through a link to a file
  })

  it('imports/preview answers 400 naming path', async () => {
    refused(await t.call('POST', '/api/v1/imports/preview', { path: 'long.csv/x.csv', format: 'CSV' }), 'path')
  })

  it('imports/check tells it as the file’s problem (as a missing file), an import start answers 400, each naming files[0].path', async () => {
    const files = [{ path: 'long.csv/x.csv', format: 'CSV', label: 'person', columns: ['id', 'name', 'age'] }]
    const check = await t.call('POST', '/api/v1/imports/check', { graph: 'default', continueOnError: true, files })
    expect(check.status, JSON.stringify(check.body)).toBe(200)
    expect(check.body).toMatchObject({ ok: false, problems: [{ severity: 'error', code: 'path_invalid', file: 'long.csv/x.csv', field: 'files[0].path', message: 'files[0].path "long.csv/x.csv" goes through long.csv, which is a file, not a folder' }] })
    const start = await t.call('POST', '/api/v1/imports', { graph: 'default', continueOnError: true, files })
    refused(start, 'files[0].path') // the request's field, not "path" (#9 gesreport LOW); a missing file's file_not_found too
  })

  it('a folder where a file is expected (EISDIR) already answered 4xx naming path, and still does, in one wording (#9 §6)', async () => {
    expect((await t.call('POST', '/api/v1/imports/preview', { path: 'd', format: 'CSV' })).body.error).toMatchObject({ code: 'path_invalid', field: 'path', message: 'path "d" is a folder, not a file' })
    expect((await t.call('POST', '/api/v1/files/delete', { path: 'd' })).body.error).toMatchObject({ code: 'path_invalid', field: 'path', message: 'path "d" is a folder, not a file' })
    const up = await fetch(`${t.url}/api/v1/files/upload?path=d&offset=0`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/octet-stream' }, body: 'x' })
    expect(up.status).toBe(400)
    expect((await up.json()).error).toMatchObject({ code: 'path_invalid', field: 'path' })
  })
})
