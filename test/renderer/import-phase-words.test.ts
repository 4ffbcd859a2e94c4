// #9 §4: an import's phase before it imports a line says what it does with the figures known so far,
// never "0 B of 0 B": a GES split the worker has not sized yet (its first word comes as the first file
// starts) read "splitting: 0 B of 0 B".
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, it } from 'vitest'
import type { LiveImportProgress } from '../../shared/graph'
import { PhaseProgress } from '../../renderer/src/features/imports/RunStep'

const live = (o: Partial<LiveImportProgress>): LiveImportProgress => ({ phase: 'splitting', file: null, bytesDone: 0, bytesTotal: 0, imported: 0, failed: 0, rowsPerSecond: 0, ...o })
const words = (l: LiveImportProgress) => renderToStaticMarkup(createElement(PhaseProgress, { live: l, graph: 'g' })).replace(/<[^>]+>/g, '')

it('says a split sizes its files before it has figures, then its bytes; a wait says its figures if any', () => {
  expect(words(live({}))).toBe('splitting: sizing the files')
  expect(words(live({ bytesDone: 1024, bytesTotal: 4096, file: 'g/people.csv' }))).toBe('splitting: 1 KiB of 4 KiB, file g/people.csv')
  expect(words(live({ phase: 'waiting' }))).toBe('waiting for the import running into g to end')
  expect(words(live({ phase: 'preparing', bytesDone: 4096, bytesTotal: 4096 }))).toBe('preparing the import: 4 KiB of 4 KiB split')
  for (const l of [live({}), live({ phase: 'waiting' }), live({ phase: 'preparing' })]) expect(words(l)).not.toContain('0 B of 0 B')
})
