// An import of thousands of small files (a GES import of thousands of labels makes one file per
// label): each package's commit cloned, serialised and stored the whole report, all files, and
// looked its label up by reading and parsing every label, so the work per file grew with the number
// of files, and each file's reader allocated 17 MiB. 4,000 one-line files took 208 s (41 ms a
// file, 39 s before the first was imported); this test did not end within 600 s (load 10-12). Per
// package the import now writes its file's entry of the record only, finds a label by its key, and
// reads every file into one buffer: 3,000 files in 26 s (load 11.8; 1,000 in 6.5 s, 4,000 in 33 s
// run alone). The record read back is still the whole report.
// The time it takes is a probe's (import-many-files.probe.test.ts); here, the work per package is
// counted: the files' rows of the record each package writes.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ImportRecords } from '../../electron/graph/import/import-record'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { importManyFiles } from './support'

const FILES = 500
afterEach(() => vi.restoreAllMocks()) // the files of this worker share the module (isolate: false)

describe('an import of many small files', () => {
  it(`imports ${FILES.toLocaleString('en')} one-line files, one label each, writing per package its file's entry of the record, not every file's`, () => {
    const save = vi.spyOn(ImportRecords.prototype, 'save') // counts, and still saves
    const { dir, end, events } = importManyFiles(FILES)
    expect(end.outcome).toBe('succeeded')
    expect(end.report).toMatchObject({ imported: FILES, failed: 0, packagesDone: FILES })
    expect(end.report.files.every((f, i) => f.path === `f${i}.csv` && f.imported === 1 && f.state === 'done')).toBe(true)
    // Each package's commit saves the record once. The first save, and the last (the run's end),
    // write every file's row; each other writes the rows its package changed, one: about 3 × FILES
    // rows in all. Writing them all each time (before) is FILES² = 250,000 rows, 125 times the bound:
    // counts, not time, so 500 files tell the two apart as 3,000 did (17 s of the unit stage; 1.9 s now).
    const rowsWritten = save.mock.calls.reduce((n, [rec, changed]) => n + (changed ?? rec.files).length, 0)
    expect(save.mock.calls.length).toBeLessThanOrEqual(FILES + 2)
    expect(rowsWritten, `${save.mock.calls.length} saves`).toBeLessThanOrEqual(4 * FILES)
    // the record as kept in the graph file: the whole report, every file's entry, as a resumed run reads it
    const again = GraphDb.open('many', graphFile(dir, 'many'))
    const rec = new ImportRecords(again.db).get('t1')!
    again.close()
    expect(rec.position).toBe(FILES)
    expect(rec.files).toHaveLength(FILES)
    expect(rec.report.files.map((f) => f.imported)).toEqual(Array(FILES).fill(1))
    expect(rec.finalReport?.imported).toBe(FILES)
    // the report goes to the main thread with progress now and then, not with each of the packages
    expect(events.filter((e) => e.type === 'progress' && e.report).length).toBeLessThan(FILES / 10)
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
