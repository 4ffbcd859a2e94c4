// #9 user trial (checkfix): an import submit judges a file's header line (bad_header when it is not
// valid in its encoding) within its bounds (HEADER_SCAN_BYTES into a file), but skipped without judging
// a file whose header line came after a line longer than its first package (8 KiB and a line end),
// which the run then failed. Now such a line is read past, measured but not held, and the header judged.
import iconv from 'iconv-lite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('hdr', ADMIN)
  await t.app.graph.importSchema('hdr', { schema: [{ label: 'people', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }] }] }, ADMIN)
}, 30_000)
afterAll(() => t?.close())

const people = (path: string, header: number) => ({ path, format: 'CSV', label: 'people', columns: ['id', 'name'], header, encoding: 'utf-8' })

it.each([
  ['a 20 KiB line', 20 * 1024],
  ['a 1.5 MiB line (longer than the first package and its allowance)', 1024 * 1024 + 512 * 1024],
])('a GBK header read as UTF-8 after %s is refused at submit as bad_header, no job made', async (_what, long) => {
  const path = `gbk_after_${long}.csv`
  upload(t.dir, path, Buffer.concat([Buffer.alloc(long, '#'), Buffer.from('\n'), iconv.encode('编号,姓名\n1,张三\n', 'gbk')]))
  const res = await t.call('POST', '/api/v1/imports', { graph: 'hdr', continueOnError: true, files: [people(path, 2)] })
  if (res.status === 201) await t.app.engine.waitFor(res.body.jobId)
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'bad_header', field: 'files[0].encoding' })
})

it('a valid UTF-8 header after a 1.5 MiB line is taken (a job made), as before', async () => {
  upload(t.dir, 'utf8_after_long.csv', Buffer.concat([Buffer.alloc(1024 * 1024 + 512 * 1024, '#'), Buffer.from('\n编号,姓名\n1,张三\n')]))
  const res = await t.call('POST', '/api/v1/imports', { graph: 'hdr', continueOnError: true, files: [people('utf8_after_long.csv', 2)] })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  await t.app.engine.waitFor(res.body.jobId)
})
