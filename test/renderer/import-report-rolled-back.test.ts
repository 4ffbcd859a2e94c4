// #9, importwords: the Imports page's report said "Rolled back 85,598" beside "85,598 imported", which
// read as the import being undone; it was the data lines of the package a failed line stopped, not
// imported. The column says so, and the file's note says which lines (import-run.ts failOnLine).
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, it } from 'vitest'
import type { ImportReport } from '../../shared/graph'
import { Report } from '../../renderer/src/features/imports/RunStep'

it('names the rolled-back count as lines not imported, with the note saying which package', () => {
  const note = 'the package of its lines 85,600–171,198 was rolled back: its line 85,650 failed and its other 85,598 data lines were not imported'
  const report: ImportReport = {
    taskId: 't', graph: 'g', state: 'failed', bytesTotal: 39_216_333, bytesDone: 33_554_432, packagesDone: 1, packagesSkipped: 0, imported: 85_598, failed: 1, elapsedMs: 1000, rowsPerSecond: 1,
    files: [{ path: 'big/mid.csv', label: 'v', kind: 'vertex', format: 'CSV', bytes: 39_216_333, state: 'failed', lines: 171_197, imported: 85_598, failed: 1, rolledBack: 85_598, skipped: 0, blankLines: 0, failures: [], notes: [note] }],
  }
  const html = renderToStaticMarkup(createElement(Report, { report }))
  const text = html.replace(/<[^>]+>/g, '|')
  expect(text).toContain('|Not imported (rolled back)|')
  expect(text).not.toMatch(/\|Rolled back\|/)
  expect(text).toContain(note)
})
