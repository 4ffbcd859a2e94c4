// Attack (#9 atk2, import submit, item 3's "is the main thread held?"): one import takes at most
// MAX_IMPORT_FILES (1,000) mappings, but a mapping naming a folder stands for every file in it, and
// the submit resolved each (its real path checked, ~70 µs) on the main thread: resolveImportFiles of
// 1,000 mappings of a folder of 1,000 files took 70.8 s (10 mappings: 0.76 s), once for the submit's
// check and again for its header check, with every request of every user waiting; an import of 1,200
// files from two mappings was taken (201). Now the mappings may stand for 1,000 files in all, folders
// opened: more is refused (invalid_mapping naming files[i].path) having read at most 1,001 entries.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN, upload } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await t.app.graph.createGraph('fan', ADMIN)
  await t.app.graph.importSchema('fan', { schema: [{ label: 'p', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }] }] }, ADMIN)
  const folder = join(upload(t.dir, 'parts/p0.csv', 'id,name\n1,a\n'), '..')
  mkdirSync(folder, { recursive: true })
  for (let i = 1; i < 1000; i++) writeFileSync(join(folder, `p${i}.csv`), `id,name\n${i},a\n`)
  upload(t.dir, 'six/s0.csv', 'id,name\n1,a\n')
  for (let i = 1; i < 600; i++) writeFileSync(join(folder, '..', 'six', `s${i}.csv`), `id,name\n${i},a\n`)
}, 60_000)
afterAll(() => t?.close())

const mapping = (path: string) => ({ path, format: 'CSV', label: 'p', columns: ['id', 'name'], header: 1 })

it('MEDIUM: two mappings of a folder of 600 files (1,200 files) are refused at submit naming files[1].path', async () => {
  const res = await t.call('POST', '/api/v1/imports', { graph: 'fan', continueOnError: true, files: [mapping('six'), mapping('six')] })
  if (res.status === 201) await t.app.engine.waitFor(res.body.jobId)
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'invalid_mapping', field: 'files[1].path' })
  expect(res.body.error.message).toBe('files[1].path "six": with it the import\'s paths stand for more than 1000 files (a folder counts each file in it); one import takes at most 1000: import them in several tasks')
})

it('HIGH: 1,000 mappings of a folder of 1,000 files are refused in well under the 70.8 s they held the main thread', async () => {
  const t0 = performance.now()
  const res = await t.call('POST', '/api/v1/imports', { graph: 'fan', continueOnError: true, files: Array.from({ length: 1000 }, () => mapping('parts')) })
  const ms = performance.now() - t0
  console.log(`1,000 mappings × 1,000 files: ${res.status} in ${ms.toFixed(0)} ms`)
  expect(res.status).toBe(400)
  expect(res.body.error.field).toBe('files[1].path')
  expect(ms).toBeLessThan(2000)
}, 20_000)

it('a Check of 1,200 files says so as a problem naming files[1].path; one mapping of the 1,000-file folder is taken', async () => {
  const over = await t.app.graph.checkImport({ graph: 'fan', files: [mapping('six'), mapping('six')], delimiter: ',', continueOnError: true } as never, ADMIN)
  expect(over.ok).toBe(false)
  expect(over.problems).toContainEqual(expect.objectContaining({ code: 'invalid_mapping', field: 'files[1].path' }))
  const whole = await t.app.graph.checkImport({ graph: 'fan', files: [mapping('parts')], delimiter: ',', continueOnError: true } as never, ADMIN)
  expect(whole.problems.filter((p) => p.code === 'invalid_mapping')).toEqual([])
  const res = await t.call('POST', '/api/v1/imports', { graph: 'fan', continueOnError: true, files: [mapping('parts')] })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  await t.app.engine.waitFor(res.body.jobId)
}, 60_000)

it('a rerun of an import whose folder has grown past 1,000 files since its submit fails naming the bound, importing none', async () => {
  const folder = join(upload(t.dir, 'grow/g0.csv', 'id,name\ngrow0,a\n'), '..') // ids the other tests' imports have not taken
  writeFileSync(join(folder, 'g1.csv'), 'id,name\ngrow1,a\n')
  const res = await t.call('POST', '/api/v1/imports', { graph: 'fan', continueOnError: true, files: [mapping('grow')] })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  expect((await t.app.engine.waitFor(res.body.jobId)).status).toBe('succeeded')
  for (let i = 2; i <= 1000; i++) writeFileSync(join(folder, `g${i}.csv`), `id,name\ngrown${i},a\n`)
  const rerun = await t.call('POST', `/api/v1/jobs/${res.body.jobId}/rerun`, {})
  expect(rerun.status, JSON.stringify(rerun.body)).toBe(201)
  expect((await t.app.engine.waitFor(rerun.body.id)).status).toBe('failed')
  const [task] = t.app.store.jobs.tasks(rerun.body.id)
  expect(task.error).toMatch(/files\[0\]\.path "grow": with it the import's paths stand for more than 1000 files \(a folder counts each file in it\)/)
  const grown = await t.call('POST', '/api/v1/graphs/fan/cypher', { script: "MATCH (n:p) WHERE n.id STARTS WITH 'grow' RETURN n.id AS id ORDER BY id" })
  expect(grown.body.rows).toEqual([['grow0'], ['grow1']]) // the first run's, none of the rerun's
}, 60_000)
