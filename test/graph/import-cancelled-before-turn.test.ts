// An import cancelled while it waits for its graph's turn ends with cancelledBeforeItsTurn, read in
// the graph's open connection while another import writes: a task that resumed after a restart (its
// record left 'running' by a shutdown) keeps its stored report as it was; a new one reads 0 of its
// files; neither writes anything (no record made or changed, no row).
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { ImportRecords } from '../../electron/graph/import/import-record'
import { cancelledBeforeItsTurn, runImport, STOP, type ImportEvent, type ImportInput } from '../../electron/graph/import/import-run'
import { graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'
import { personFile, tempGraph, writePeople } from './support'

it('ends a waiting import cancelled with its stored report (resumed) or none read (new), writing nothing', () => {
  const dir = tempDir()
  tempGraph(dir).close()
  const file = join(dir, 'people.csv')
  writePeople(file, 20_000)
  const input = (taskId: string): ImportInput => ({ dataDir: dir, graph: 'g', taskId, files: [{ mapping: { ...personFile('people.csv'), format: 'CSV' as const }, file }], delimiter: ',', continueOnError: true, skipPackages: 0, packageBytes: 16 * 1024 })
  // a run stopped by a shutdown after two packages: its record stays 'running', as a restart finds it
  const events: ImportEvent[] = []
  const committed = () => events.filter((e) => e.type === 'progress' && e.change).length
  expect(runImport(input('resumed'), { emit: (e) => events.push(e), stop: () => (committed() >= 2 ? STOP.shutdown : STOP.none) }).outcome).toBe('interrupted')

  const g = GraphDb.open('g', graphFile(dir, 'g'))
  try {
    const records = new ImportRecords(g.db)
    const stored = records.get('resumed')!
    expect(stored).toMatchObject({ state: 'running', position: 2 })
    const rows = g.info().vertexCount
    expect(rows).toBe(stored.report.imported)

    const resumed = cancelledBeforeItsTurn(g, input('resumed'))
    const { state: _s, files: storedFiles, ...counts } = stored.report
    expect(resumed.outcome).toBe('cancelled')
    expect(resumed.report).toMatchObject({ ...counts, state: 'cancelled' })
    expect(resumed.report.files.map((f) => [f.state, f.imported, f.lines])).toEqual(storedFiles.map((f) => ['cancelled', f.imported, f.lines]))

    const fresh = cancelledBeforeItsTurn(g, input('fresh'))
    expect(fresh).toMatchObject({ outcome: 'cancelled', report: { state: 'cancelled', imported: 0, failed: 0, bytesDone: 0, bytesTotal: statSync(file).size, packagesDone: 0 } })
    expect(fresh.report.files.map((f) => [f.path, f.state])).toEqual([['people.csv', 'cancelled']])

    // nothing written: the resumed task's record as it was, none for the new one, no rows
    expect(records.get('resumed')).toEqual(stored)
    expect(records.get('fresh')).toBeUndefined()
    expect(g.info().vertexCount).toBe(rows)
    expect(g.db.open).toBe(true) // the caller's connection, left open
  } finally {
    g.close()
  }
})
