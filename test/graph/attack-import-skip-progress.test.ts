// An import's progress is reported every 200 ms or every eighth of a package (import-progress.ts,
// f5d8bbd8). Any user may start an import with packageBytes 16 (the smallest the request takes) and
// skipPackages as large as they like: every package is then skipped, each 16-byte package is an
// "eighth" and more, and each sent its own progress event from the graph worker to the main thread,
// one per 16 bytes of the file, as fast as the worker reads them (a 100 MiB upload: 6.5 million
// messages). Skipped packages write nothing: their progress needs no more than the 200 ms rule's.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import type { LabelDef } from '../../shared/graph'
import { runImport, STOP, type ImportEvent } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { tempDir } from '../support/temp-store'

it('skipping every 16-byte package of a 1 MiB file reports progress a bounded number of times, not once per package', () => {
  const dir = tempDir()
  createGraphFile(dir, 'g')
  const g = GraphDb.open('g', graphFile(dir, 'g'))
  g.addLabels([{ label: 'P', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }] } as LabelDef])
  g.close()
  const file = join(dir, 'a.csv')
  const line = 'x'.repeat(15) + '\n' // 16 bytes: one package each
  writeFileSync(file, line.repeat(65_536)) // 1 MiB, 65,536 packages
  const events: ImportEvent[] = []
  const end = runImport(
    { dataDir: dir, graph: 'g', taskId: 't1', files: [{ mapping: { path: 'a.csv', format: 'CSV', label: 'P', columns: ['id'] }, file }], delimiter: ',', continueOnError: true, skipPackages: 1e9, packageBytes: 16 },
    { emit: (e) => events.push(e), stop: () => STOP.none },
  )
  expect(end.outcome).toBe('succeeded')
  const progress = events.filter((e) => e.type === 'progress').length
  // the skip takes well under a second here: the 200 ms rule gives a handful; before, 65,537
  expect(progress).toBeLessThan(1_000)
})
