// An export whose worker fails while nobody listens on its stream (a caller that dropped the answer,
// a test's cleanup that removed the data folder under a waiting export) ends on `done` alone: the
// failure must not become the process's uncaught exception (a clean-clone CI run went red on one).
import { rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { expect, it } from 'vitest'
import { createExporter } from '../../electron/services/export/exporter'
import { csvOptions, storedSet } from '../support/export-set'
import { tempStore } from '../support/temp-store'

it('rejects done with the reason and raises nothing when its worker fails unheard', async () => {
  const t = tempStore()
  const set = storedSet(t, [{ name: 'n', type: 'INTEGER' }], Array.from({ length: 5000 }, (_, i) => [i])) // past INLINE_ROWS: a worker
  const exporter = createExporter(t.file, t.store.results, undefined, { warn: () => undefined })
  t.store.close()
  rmSync(dirname(t.file), { recursive: true, force: true }) // the worker cannot open the store
  const uncaught: unknown[] = []
  const note = (e: unknown) => uncaught.push(e)
  process.on('uncaughtException', note)
  try {
    const e = await exporter.export(set, csvOptions([0]), [], undefined, false, 'alice')
    await expect(e.done).rejects.toThrow(/export failed/)
    await new Promise((r) => setTimeout(r, 200))
    expect(uncaught).toEqual([])
    expect(e.stream.destroyed).toBe(true)
  } finally {
    process.off('uncaughtException', note)
  }
})
