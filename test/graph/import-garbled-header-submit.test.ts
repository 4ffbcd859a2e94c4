// A header not valid in the chosen encoding is refused at every import submit, not only by Check (#9,
// open item of stop 36): the Imports page's Check refuses it (bad_header) and its Start runs Check
// first, but an import started through the API without Check (the native POST /api/v1/imports,
// TuGraph's import_data) made a job that ended "nothing imported". Now each submit refuses it with the
// Check's code and message in its dialect's envelope, before a job exists, whatever continueOnError
// says (the header is no data line a run could skip). GES's import-graph files have no header line.
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { tugraphClient, type TuGraphClient } from '../tugraph/support'
import { ADMIN, upload } from './support'

let t: TestApp
let c: TuGraphClient
const GBK = iconv.encode('编号,姓名\n1,张三\n2,李四\n', 'gbk')
const UTF16 = Buffer.from('id,name\n1,Ann\n2,Bo\n', 'utf16le')
beforeAll(async () => {
  t = await startTestApp()
  c = tugraphClient(t.url)
  await c.login()
  for (const graph of ['enc', 'enc_native', 'enc_tugraph']) {
    await t.app.graph.createGraph(graph, ADMIN)
    await t.app.graph.importSchema(graph, { schema: [{ label: 'people', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }] }] }, ADMIN)
  }
  upload(t.dir, 'gbk_people.csv', GBK)
  upload(t.dir, 'u16_people.csv', UTF16)
}, 30_000)
afterAll(() => t?.close())

const importJobs = async (): Promise<number> => (await t.call('GET', '/api/v1/jobs?kind=import')).body.items.length
const people = (path: string, extra: Record<string, unknown> = {}) => ({ path, format: 'CSV', label: 'people', columns: ['id', 'name'], header: 1, ...extra })
const GBK_REFUSAL = /^gbk_people\.csv line 1, column 1: the header is not valid UTF-8, so its column names would be garbled; it looks like GBK: choose Encoding GBK/

describe('POST /api/v1/imports (native)', () => {
  for (const continueOnError of [true, false]) {
    it(`refuses a GBK header read as UTF-8 with bad_header naming the file and encoding (continueOnError ${continueOnError}); no job`, async () => {
      const before = await importJobs()
      const res = await t.call('POST', '/api/v1/imports', { graph: 'enc', continueOnError, files: [people('gbk_people.csv', { encoding: 'utf-8' })] })
      expect(res.status, JSON.stringify(res.body)).toBe(400)
      expect(res.body.error).toMatchObject({ code: 'bad_header', field: 'files[0].encoding' })
      expect(res.body.error.message).toMatch(GBK_REFUSAL)
      expect(await importJobs()).toBe(before)
    })
  }

  it('refuses a UTF-16LE header without a mark (second file) naming UTF-16LE; no job', async () => {
    upload(t.dir, 'ok_people.csv', 'id,name\n1,Ann\n')
    const before = await importJobs()
    const res = await t.call('POST', '/api/v1/imports', { graph: 'enc', continueOnError: true, files: [people('ok_people.csv'), people('u16_people.csv')] })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.error).toMatchObject({ code: 'bad_header', field: 'files[1].encoding' })
    expect(res.body.error.message).toMatch(/^u16_people\.csv line 1, column 1: the header .*UTF-16LE/)
    expect(await importJobs()).toBe(before)
  })

  it('takes the same file with its encoding', async () => {
    const res = await t.call('POST', '/api/v1/imports', { graph: 'enc_native', continueOnError: true, files: [people('gbk_people.csv', { encoding: 'gbk' })] })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    await t.app.engine.waitFor(res.body.jobId)
    expect((await t.app.graph.importStatus(res.body.taskId)).report?.imported).toBe(2)
  })
})

describe('TuGraph import_data', () => {
  it('refuses a GBK header read as UTF-8 in its envelope (errorCode 400), before a task exists', async () => {
    const before = await importJobs()
    const r = await c.post('import_data', { graph: 'enc', delimiter: ',', continueOnError: true, schema: { files: [people('gbk_people.csv')] } })
    expect(r.body?.errorCode, JSON.stringify(r.body)).toBe('400')
    expect(r.body.errorMessage).toMatch(GBK_REFUSAL)
    expect(await importJobs()).toBe(before)
  })

  it('still answers a task id first for a missing file (its checks stay deferred), and takes the file in its encoding', async () => {
    const missing = await c.importData([people('nowhere.csv')], { graph: 'enc' })
    expect((await c.waitImport(missing)).state).toBe('3')
    const ok = await c.importData([people('gbk_people.csv', { encoding: 'gbk' })], { graph: 'enc_tugraph' })
    expect((await c.waitImport(ok)).state).toBe('2')
  })
})
