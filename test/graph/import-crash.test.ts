// kill -9 during an import: on restart the engine takes the import job up again and it resumes
// after its last committed package (its record commits with each package), so nothing is lost,
// nothing imported twice, and the counts of both runs add up.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { afterEach, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../../electron/app'
import { graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { supportScriptArgs } from '../support/support-script'
import { tempDir } from '../support/temp-store'
import { ADMIN, PERSON_SCHEMA, personFile, upload } from './support'

let dir = ''
let app: JobDeskApp | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
  rmSync(dir, { recursive: true, force: true })
})

const LINES = 50_000 // 13 packages of 64 KiB: three before the kill, ten after (200,000, 53 packages, showed the same in 15 s against 11)
const BAD_EVERY = 10_000 // a line with a bad age every so often: failures must not be counted twice either

it('resumes an import killed with -9 after its committed packages, with the right counts', async () => {
  dir = tempDir()
  // The schema goes in before the child starts (the child only imports).
  const setup = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
  await setup.graph.importSchema('default', PERSON_SCHEMA, ADMIN)
  await setup.close()
  let content = ''
  for (let i = 0; i < LINES; i++) content += i % BAD_EVERY === BAD_EVERY - 1 ? `${i},name ${i},x\n` : `${i},name ${i},${i % 100}\n`
  upload(dir, 'people.csv', content)
  const request = { graph: 'default', files: [personFile('people.csv')], continueOnError: true, packageBytes: 64 * 1024 }

  const child = spawn(process.execPath, [...supportScriptArgs('graph-import-child'), dir, JSON.stringify(request)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise((r) => child.once('exit', r))
  const started = await new Promise<{ taskId: string; jobId: number; packagesDone: number }>((ok, fail) => {
    let ids: { taskId: string; jobId: number } | null = null
    void exited.then(() => fail(new Error('the child ended before it was killed')))
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = JSON.parse(line)
      if (m.taskId) ids = m
      else if (ids && m.packagesDone >= 3) {
        child.kill('SIGKILL')
        ok({ ...ids, packagesDone: m.packagesDone })
      }
    })
  })
  await exited

  app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 }) // recovery takes the job up again
  const job = await app.engine.waitFor(started.jobId)
  expect(job.status).toBe('succeeded')
  const s = await app.graph.importStatus(started.taskId)
  const bad = Math.floor(LINES / BAD_EVERY)
  expect(s.report).toMatchObject({ imported: LINES - bad, failed: bad })
  expect(s.report!.files[0]).toMatchObject({ lines: LINES, imported: LINES - bad, failed: bad, rolledBack: 0 })
  expect(s.report!.files[0].failures.map((f) => f.line)).toEqual(Array.from({ length: bad }, (_, k) => (k + 1) * BAD_EVERY))
  const logs = app.store.logs.read(started.jobId, 0, 5000).lines.map((l) => l.text).join('\n')
  expect(logs).toMatch(/JobDesk restarted: task import was interrupted and runs again/)
  expect(logs).toMatch(new RegExp(`resuming task ${started.taskId} after package \\d+`))
  await app.close()
  app = undefined

  // In the graph file: every vertex once, vids 0..N-1 without a gap, counts that agree.
  const g = GraphDb.open('default', graphFile(dir, 'default'))
  try {
    const row = g.db.prepare('SELECT count(*) AS n, min(vid) AS lo, max(vid) AS hi, count(DISTINCT p0) AS keys FROM v_0').get()
    expect(row).toEqual({ n: LINES - bad, lo: 0, hi: LINES - bad - 1, keys: LINES - bad })
    expect(g.db.prepare('SELECT count(*) FROM vertices').pluck().get()).toBe(LINES - bad)
    expect(g.info().vertexCount).toBe(LINES - bad)
  } finally {
    g.close()
  }
}, 120_000)
