// #9 gesreport: TuGraph's import_data took every path the upload folder cannot hold (through a file, a
// symbolic link out of the folder, `..`, absolute, empty, a 300-byte name, a 5,000-character path, NUL)
// with errorCode "200" and a task id, and each task then failed; check_file, the native import and
// GES refuse them at submit. import_data now refuses them too, with the same path check, "400" naming
// `schema.files[i].path`, and starts no job. A file that does not exist yet still fails the task, as
// TuGraph's does.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tempDir } from '../support/temp-store'
import { ADMIN, PERSON_SCHEMA, personFile } from '../graph/support'
import { expectError, expectOk, tugraphClient, type TuGraphClient } from './support'

let t: TestApp
let c: TuGraphClient
beforeAll(async () => {
  t = await startTestApp()
  c = tugraphClient(t.url)
  await c.login()
  await t.app.graph.createGraph('paths', ADMIN)
  expectOk(await c.post('import_schema', { graph: 'paths', description: PERSON_SCHEMA }))
  await c.upload('p.csv', '1,Ann,30\n')
  // a link in the upload folder to a folder outside it
  const outside = tempDir()
  mkdirSync(join(outside, 'sub'), { recursive: true })
  symlinkSync(outside, join(t.dir, 'upload_files/admin/out'))
}, 30_000)
afterAll(() => t?.close())

const importData = (paths: string[]) => c.post('import_data', { graph: 'paths', delimiter: ',', schema: { files: paths.map((p) => personFile(p)) } })
const jobCount = async (): Promise<number> => (await t.call('GET', '/api/v1/jobs')).body.total

describe('import_data refuses a bad path at submit', () => {
  const cases: [string, string, RegExp][] = [
    ['through a file', 'p.csv/x.csv', /goes through p\.csv, which is a file, not a folder/],
    ['a link out of the folder', 'out/sub/x.csv', /symbolic link outside your upload folder/],
    ['..', '../x.csv', /\.\./],
    ['absolute', '/etc/passwd', /absolute|relative/i],
    // the trial (LOW): a file: URL was taken as the folders `file:` and `etc`, and its job failed later
    ['a file: URL', 'file:///etc/passwd', /^schema\.files\[1\]\.path "file:\/\/\/etc\/passwd" is a URL \(file:\); give a path relative to your upload folder$/],
    ['a file: URL without slashes', 'file:etc/passwd', /is a URL \(file:\)/],
    ['an https URL', 'https://example.com/p.csv', /is a URL \(https:\)/],
    ['a 300-byte name', `${'n'.repeat(296)}.csv`, /long|bytes/i],
    ['a 5,000-character path', `${'d/'.repeat(2_498)}x.csv`, /long|characters/i],
    ['NUL', 'a\0b.csv', /NUL|control|invalid/i],
  ]
  it.each(cases)('%s: "400" naming schema.files[1].path, and no job', async (_, path, why) => {
    const before = await jobCount()
    const a = await importData(['p.csv', path])
    expectError(a, '400', why)
    expect(a.body.errorMessage).toContain('schema.files[1].path')
    expect(await jobCount()).toBe(before)
  })

  it('an empty path is refused naming its field too', async () => {
    const a = await importData([''])
    expect(a.body.errorCode).toBe('400')
    expect(a.body.errorMessage).toMatch(/path/)
  })

  // #9 last check (LOW): the folder refusals named no field (a folder with no files) or `files[1]`
  it('a folder with no files, or of more files than one import takes: "400" naming schema.files[1].path, and no job', async () => {
    mkdirSync(join(t.dir, 'upload_files/admin/hollow/sub'), { recursive: true })
    const before = await jobCount()
    const hollow = await importData(['p.csv', 'hollow'])
    expectError(hollow, '400', /^schema\.files\[1\]\.path "hollow\/" is a folder with no files in it/)
    mkdirSync(join(t.dir, 'upload_files/admin/many'), { recursive: true })
    for (let i = 0; i <= 1000; i++) writeFileSync(join(t.dir, `upload_files/admin/many/p${i}.csv`), `${i},P,1\n`)
    const many = await importData(['p.csv', 'many'])
    expectError(many, '400', /^schema\.files\[1\]\.path "many": .*more than 1000 files/)
    expect(await jobCount()).toBe(before)
  })

  it('a file not uploaded yet still starts the task, which fails saying so (TuGraph checks files when the task runs)', async () => {
    const { taskId } = expectOk(await importData(['later.csv']))
    const done = await c.waitImport(taskId)
    expect(done.state).toBe('3')
    expect(done.reason ?? done.error ?? JSON.stringify(done)).toMatch(/later\.csv/)
  })
})
