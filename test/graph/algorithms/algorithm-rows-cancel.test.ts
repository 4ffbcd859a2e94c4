// An algorithm's rows reach the main thread in pages that are stored a step a turn after the
// worker has sent them all (algorithm.executor.ts runAlgorithmTask). A cancel that comes while
// those pages are still being stored stops the storing: the task ends cancelled at once instead of
// storing up to 5,000,000 rows for a job nobody wants any more.
import { afterEach, expect, it } from 'vitest'
import type { AlgorithmSummary } from '../../../shared/algorithms'
import type { TaskContext } from '../../../electron/engine/executor'
import type { AlgorithmHost } from '../../../electron/graph/algorithms/algorithm-host'
import type { AlgorithmEvent } from '../../../electron/graph/algorithms/algorithm-run'
import { runAlgorithmTask } from '../../../electron/graph/algorithms/algorithm.executor'
import { packRows } from '../../../electron/graph/cypher/packed-rows'
import { tempStore } from '../../support/temp-store'

const PAGES = 100
const PAGE_ROWS = 10_000
let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

it('a cancel while the rows are being stored stops the storing and ends the task cancelled', async () => {
  const t = tempStore()
  cleanup = t.cleanup
  const jobId = t.store.jobs.create({ uuid: 'uuid-alg', kind: 'algorithm', name: 'pagerank', submitter: 'admin' }, [{ name: 'main', executor: 'algorithm' }])
  const task = t.store.jobs.task(jobId, 'main')!
  const summary = { algorithm: 'PageRank', params: {}, source: 'g', vertices: PAGES * PAGE_ROWS, edges: 0, columns: ['v'], rows: PAGES * PAGE_ROWS, truncated: false, snapshotMs: 0, cached: false, computeMs: 0, details: {} } as AlgorithmSummary
  // the worker's side: a run that ended well after sending a million rows, which the main thread
  // has received but not stored yet
  const host = {
    async run(_input: unknown, hooks: { onEvent(e: AlgorithmEvent): void }) {
      hooks.onEvent({ type: 'columns', columns: [{ name: 'v', type: 'INT64' }] })
      for (let p = 0; p < PAGES; p++) hooks.onEvent({ type: 'rows', rows: packRows(Array.from({ length: PAGE_ROWS }, (_, i) => [p * PAGE_ROWS + i])) })
      return { outcome: 'succeeded' as const, summary }
    },
  } as unknown as AlgorithmHost
  const cancel = new AbortController()
  const ctx = { jobId, jobUuid: 'uuid-alg', submitter: 'admin', taskId: task.id, taskName: 'main', attempt: 1, spec: {}, input: null, signal: cancel.signal, log: () => undefined, setRuntime: () => undefined } as TaskContext
  const run = runAlgorithmTask({ host, results: t.store.results }, ctx, { algorithm: 'PageRank', params: {}, source: { kind: 'graph', graph: 'g' }, weighted: false } as never, 'alice')
  const set = () => t.store.results.list(jobId)[0]
  while (!set() || set().rowCount < 2 * PAGE_ROWS) await new Promise((r) => setImmediate(r))
  cancel.abort('cancelled')
  await expect(run).rejects.toThrow(/^cancelled$/)
  const stored = set().rowCount
  expect(stored).toBeLessThan(10 * PAGE_ROWS) // the page in progress at most, not the other 98
  expect(set().state).toBe('partial')
  expect(t.store.results.rows(set(), 0, 2)).toEqual([[0], [1]]) // what was stored stays readable
}, 120_000)
