// An import of thousands of small files (a GES import of thousands of labels makes one file per
// label): each package's commit cloned, serialised and stored the whole report, all files, and
// looked its label up by reading and parsing every label, so the work per file grew with the number
// of files, and each file's reader allocated 17 MiB. 4,000 one-line files took 208 s (41 ms a
// file, 39 s before the first was imported); this test did not end within 600 s (load 10-12). Per
// package the import now writes its file's entry of the record only, finds a label by its key, and
// reads every file into one buffer: 3,000 files in 26 s (load 11.8; 1,000 in 6.5 s, 4,000 in 33 s
// run alone). The record read back is still the whole report.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { ImportRecords } from '../../electron/graph/import/import-record'
import { runImport, type ImportEvent } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'

const FILES = 3000

describe('an import of many small files', () => {
  it(`imports ${FILES.toLocaleString('en')} one-line files, one label each, in time that grows with the files, not their square`, () => {
    const dir = tempDir()
    createGraphFile(dir, 'many')
    const g = GraphDb.open('many', graphFile(dir, 'many'))
    g.addLabels(Array.from({ length: FILES }, (_, i) => ({ label: `L${i}`, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'p', type: 'STRING', optional: true }] }) as LabelDef))
    g.close()
    const files = Array.from({ length: FILES }, (_, i) => {
      const file = join(dir, `f${i}.csv`)
      writeFileSync(file, `v${i},x${i}\n`)
      return { mapping: { path: `f${i}.csv`, format: 'CSV' as const, label: `L${i}`, columns: ['id', 'p'] }, file }
    })
    const events: ImportEvent[] = []
    const t0 = performance.now()
    const end = runImport({ dataDir: dir, graph: 'many', taskId: 't1', files, delimiter: ',', continueOnError: true, skipPackages: 0 }, { emit: (e) => events.push(e), stop: () => 0 })
    const seconds = (performance.now() - t0) / 1000
    expect(end.outcome).toBe('succeeded')
    expect(end.report).toMatchObject({ imported: FILES, failed: 0, packagesDone: FILES })
    expect(end.report.files.every((f, i) => f.path === `f${i}.csv` && f.imported === 1 && f.state === 'done')).toBe(true)
    // the record as kept in the graph file: the whole report, every file's entry, as a resumed run reads it
    const again = GraphDb.open('many', graphFile(dir, 'many'))
    const rec = new ImportRecords(again.db).get('t1')!
    again.close()
    expect(rec.position).toBe(FILES)
    expect(rec.files).toHaveLength(FILES)
    expect(rec.report.files.map((f) => f.imported)).toEqual(Array(FILES).fill(1))
    expect(rec.finalReport?.imported).toBe(FILES)
    // the report goes to the main thread with progress now and then, not with each of 3,000 packages
    expect(events.filter((e) => e.type === 'progress' && e.report).length).toBeLessThan(FILES / 10)
    expect(seconds).toBeLessThan(90) // quadratic again would be well past it (over 600 s before)
  }, 300_000)

  it('reads a record kept by an older version (its files inline in the task row) as it was, and saves it in rows from then on', () => {
    const dir = tempDir()
    createGraphFile(dir, 'old')
    const g = GraphDb.open('old', graphFile(dir, 'old'))
    const file = { path: 'a.csv', label: 'L', kind: 'vertex', format: 'CSV', bytes: 4, state: 'running', lines: 1, imported: 1, failed: 0, rolledBack: 0, skipped: 0, blankLines: 0, failures: [], notes: [] }
    const report = { taskId: 'old1', graph: 'old', state: 'running', bytesTotal: 4, bytesDone: 4, packagesDone: 1, packagesSkipped: 0, imported: 1, failed: 0, elapsedMs: 5, rowsPerSecond: 0, files: [file] }
    g.db.prepare('INSERT INTO import_tasks (task_id, state, position, files, report, final_report, updated_at) VALUES (?, ?, ?, ?, ?, NULL, 0)').run('old1', 'running', 1, JSON.stringify([{ path: 'a.csv', bytes: 4 }]), JSON.stringify(report))
    const records = new ImportRecords(g.db)
    const rec = records.get('old1')!
    expect(rec).toEqual({ taskId: 'old1', state: 'running', position: 1, files: [{ path: 'a.csv', bytes: 4 }], report, finalReport: null })
    records.save({ ...rec, state: 'succeeded', finalReport: report as never })
    expect(records.get('old1')).toEqual({ ...rec, state: 'succeeded', finalReport: report })
    g.close()
  })
})
