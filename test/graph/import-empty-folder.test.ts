// #9 last check (LOW): a mapping of a folder with no files in it passed Check and its import
// "succeeded" having read nothing, without a word. A folder stands for the files in it, so one with
// none is refused as a missing file is (file_not_found, at Check and at start), naming the folder.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('hollow', ADMIN)
  await t.app.graph.importSchema('hollow', { schema: [{ label: 'p', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] }] }, ADMIN)
  upload(t.dir, 'full/a.csv', 'id\n1\n')
  mkdirSync(join(t.dir, 'upload_files', 'admin', 'empty', 'sub'), { recursive: true }) // a sub-folder is not a file of it
  upload(t.dir, 'empty/sub/deep.csv', 'id\n2\n')
}, 30_000)
afterAll(() => t?.close())

const mapping = (path: string) => ({ path, format: 'CSV', label: 'p', columns: ['id'], header: 1 })
const NO_FILES = /^files\[1\]\.path "empty\/" is a folder with no files in it \(files in its sub-folders are not read\): nothing to import; upload files into it or remove its mapping$/

describe('a mapping of a folder with no files', () => {
  it('is an error at Check naming the folder', async () => {
    const check = await t.call('POST', '/api/v1/imports/check', { graph: 'hollow', files: [mapping('full'), mapping('empty')], continueOnError: true })
    expect(check.status, JSON.stringify(check.body)).toBe(200)
    expect(check.body.ok).toBe(false)
    expect(check.body.problems).toContainEqual(expect.objectContaining({ severity: 'error', code: 'file_not_found', file: 'empty', message: expect.stringMatching(NO_FILES) }))
  })

  it('is refused at start as a missing file is, and nothing is imported', async () => {
    const run = await t.call('POST', '/api/v1/imports', { graph: 'hollow', files: [mapping('full'), mapping('empty/')], continueOnError: true })
    expect(run.status, JSON.stringify(run.body)).toBe(404)
    expect(run.body.error).toMatchObject({ code: 'file_not_found', message: expect.stringMatching(NO_FILES) })
    const missing = await t.call('POST', '/api/v1/imports', { graph: 'hollow', files: [mapping('nowhere.csv')], continueOnError: true })
    expect(missing.body.error.code).toBe(run.body.error.code) // the same refusal as a file that is not there
  })
})
