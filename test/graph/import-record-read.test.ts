// A status read of a running import reads its record ('import.record') on another connection while the
// import commits packages: the task's row and its files' rows must come from the same commit, or the
// report's totals do not add up (CI of stop 38: a report saying 37 failed over files saying 73).
import { Worker } from 'node:worker_threads'
import { expect, it } from 'vitest'
import type { ImportReport } from '../../shared/graph'
import { ImportRecords } from '../../electron/graph/import/import-record'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'

const fileReport = (path: string, failed: number) => ({ path, label: 'P', kind: 'vertex', format: 'CSV', bytes: 10, state: 'running', lines: failed, imported: 0, failed, rolledBack: 0, skipped: 0, blankLines: 0, failures: [], notes: [] })

it('reads a running import\'s record as one commit wrote it while another connection commits', async () => {
  const dir = tempDir()
  createGraphFile(dir, 'g')
  const file = graphFile(dir, 'g')
  const g = GraphDb.open('g', file)
  const records = new ImportRecords(g.db)
  const record = (n: number) => ({
    taskId: 't1',
    state: 'running' as const,
    position: n,
    files: [{ path: 'a.csv', bytes: 10 }, { path: 'b.csv', bytes: 10 }],
    report: { taskId: 't1', graph: 'g', state: 'running', bytesTotal: 20, bytesDone: 0, packagesDone: n, packagesSkipped: 0, imported: 0, failed: 2 * n, elapsedMs: 0, rowsPerSecond: 0, files: [fileReport('a.csv', n), fileReport('b.csv', n)] } as unknown as ImportReport,
    finalReport: null,
  })
  records.save(record(0))
  // the writer: what ImportRecords.save writes per commit (the task's row, then its files' rows), in a loop
  const writer = new Worker(
    `const Database = require('better-sqlite3')
     const { workerData, parentPort } = require('node:worker_threads')
     const db = new Database(workerData.file)
     db.pragma('busy_timeout = 5000')
     const task = db.prepare("UPDATE import_tasks SET report = json_set(report, '$.failed', ?) WHERE task_id = 't1'")
     const files = db.prepare("UPDATE import_task_files SET report = json_set(report, '$.failed', ?) WHERE task_id = 't1'")
     const commit = db.transaction((n) => { task.run(2 * n); files.run(n) })
     const until = Date.now() + workerData.ms
     let n = 0
     while (Date.now() < until) commit(++n)
     parentPort.postMessage(n)`,
    { eval: true, workerData: { file, ms: 1500 } },
  )
  const commits = new Promise<number>((resolve) => writer.once('message', resolve))
  let reads = 0
  const torn: string[] = []
  const until = Date.now() + 1500
  while (Date.now() < until) {
    const rec = records.get('t1')!
    const sum = rec.report.files.reduce((n, f) => n + f.failed, 0)
    if (rec.report.failed !== sum) torn.push(`the task's row says ${rec.report.failed} failed, its files ${sum}`)
    reads++
    if (reads % 200 === 0) await new Promise((r) => setImmediate(r))
  }
  expect(await commits).toBeGreaterThan(100)
  await writer.terminate()
  g.close()
  expect(reads).toBeGreaterThan(100)
  expect(torn.slice(0, 3)).toEqual([])
})
