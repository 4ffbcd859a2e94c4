// The record an import keeps in the graph file while it runs is what a status read shows when no
// live report is held (GraphService reads it through 'import.record') and what a resumed run starts
// from. Each commit writes only the rows of the files whose entries changed since the last commit:
// a file that ended after its last package (state 'done') changed after that package's commit, so
// the next commit must write its row too.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { ImportRecords } from '../../electron/graph/import/import-record'
import { runImport, STOP, type ImportEvent } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'

it('a running import\'s record shows a file that ended as done once the next file commits a package', () => {
  const dir = tempDir()
  createGraphFile(dir, 'g')
  const g = GraphDb.open('g', graphFile(dir, 'g'))
  g.addLabels([{ label: 'P', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] } as LabelDef])
  g.close()
  const files = ['a', 'b', 'c'].map((name) => {
    const file = join(dir, `${name}.csv`)
    writeFileSync(file, `${name}1\n${name}2\n`)
    return { mapping: { path: `${name}.csv`, format: 'CSV' as const, label: 'P', columns: ['id'] }, file }
  })
  const events: ImportEvent[] = []
  // a shutdown once a and b have each committed their one package: c is never started
  const committed = () => events.filter((e) => e.type === 'progress' && e.change).length
  const end = runImport(
    { dataDir: dir, graph: 'g', taskId: 't1', files, delimiter: ',', continueOnError: true, skipPackages: 0 },
    { emit: (e) => events.push(e), stop: () => (committed() >= 2 ? STOP.shutdown : STOP.none) },
  )
  expect(end.outcome).toBe('interrupted')
  const again = GraphDb.open('g', graphFile(dir, 'g'))
  const rec = new ImportRecords(again.db).get('t1')!
  again.close()
  expect(rec.state).toBe('running')
  expect(rec.position).toBe(2)
  expect(rec.report.files.map((f) => [f.path, f.state, f.imported])).toEqual([
    ['a.csv', 'done', 2],
    ['b.csv', 'running', 2],
    ['c.csv', 'pending', 0],
  ])
})
