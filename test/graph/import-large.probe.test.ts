// A file of hundreds of MB streams through in 16 MiB packages: the process's memory stays flat,
// far below the file's size, while the main thread keeps answering.
import { closeSync, mkdirSync, openSync, statSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { ADMIN } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 30_000)
afterAll(() => t?.close())

const FILE_MB = 300
const FILLER = 'x'.repeat(10_000) // a SKIP column: read and parsed, never stored

it(`imports a ${FILE_MB} MB file with flat memory`, async () => {
  await t.app.graph.importSchema('default', {
    schema: [{ label: 'row', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'tag', type: 'STRING' }] }],
  }, ADMIN)
  const path = join(t.dir, 'upload_files/admin/large.csv')
  mkdirSync(join(path, '..'), { recursive: true })
  const lines = Math.floor((FILE_MB * 1024 * 1024) / (FILLER.length + 16))
  const fd = openSync(path, 'w')
  for (let i = 0; i < lines; i += 256) {
    let chunk = ''
    for (let k = i; k < Math.min(lines, i + 256); k++) chunk += `${k},t${k % 10},${FILLER}\n`
    writeSync(fd, chunk)
  }
  closeSync(fd)
  const size = statSync(path).size
  expect(size).toBeGreaterThan(FILE_MB * 1e6)

  const base = process.memoryUsage().rss
  let peak = base
  let slowestTickMs = 0
  let last = performance.now()
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
    const now = performance.now()
    slowestTickMs = Math.max(slowestTickMs, now - last - 20) // how late the main thread ran this timer
    last = now
  }, 20)
  const { taskId, jobId } = await t.app.graph.startImport({ graph: 'default', files: [{ path: 'large.csv', format: 'CSV', label: 'row', columns: ['id', 'tag', 'SKIP'] }] }, ADMIN)
  const job = await t.app.engine.waitFor(jobId)
  clearInterval(sampler)
  expect(job.status, `the import's task errors: ${JSON.stringify(t.app.store.jobs.tasks(jobId).map((x) => x.error))}`).toBe('succeeded')
  const s = await t.app.graph.importStatus(taskId)
  expect(s.report).toMatchObject({ imported: lines, failed: 0, packagesDone: Math.ceil(size / (16 * 1024 * 1024)) })
  const growthMb = (peak - base) / 1e6
  console.log(`${(size / 1e6).toFixed(0)} MB imported: RSS grew ${growthMb.toFixed(0)} MB at most; the main thread was at most ${slowestTickMs.toFixed(0)} ms late`)
  expect(growthMb).toBeLessThan(200) // reading the file whole would take more than its 300 MB
  expect(slowestTickMs).toBeLessThan(1000)
}, 120_000)
