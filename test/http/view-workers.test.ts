// Views of large jobs built in worker threads (electron/http/view-workers.ts): a view whose client
// hangs up frees its slot at once and its worker ends itself before its next statement, instead of
// building for nobody while other clients' views wait or are refused; a worker whose build throws
// answers view_failed with its reason.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import { viewWorkers } from '../../electron/http/view-workers'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { tempStore } from '../support/temp-store'
import { until } from '../support/until'
import type { SlowViewInput } from '../support/slow-view-worker'

const t = tempStore()
afterAll(() => t.cleanup())
const SUPPORT = join(__dirname, '../support')

it('a view whose client hung up ends its worker and frees its slot for the next view', async () => {
  const workers = viewWorkers(t.store.db)
  // every running slot taken by a view of 60 s whose client then hangs up
  const gone = Array.from({ length: WORKER_THREADS }, (_, i) => {
    const hangUp = new AbortController()
    const input: SlowViewInput = { ms: 60_000, done: join(t.dir, `gone-${i}`), queries: true }
    const view = workers.build('slow-view-worker', SUPPORT, input, { owner: 'u1', signal: hangUp.signal })
    return { hangUp, view, input }
  })
  // the workers are up and building (was a fixed 3 s; starting one from source takes 0.5-3 s)
  await until(() => gone.filter((g) => existsSync(`${g.input.done}.started`)).length, (n) => n === gone.length, 'the views building')
  const reason = new AppError('unavailable', 'client_gone', 'the client closed the connection before the answer')
  for (const g of gone) g.hangUp.abort(reason)
  for (const g of gone) await expect(g.view).rejects.toBe(reason)
  // the next view is built at once, not after the abandoned ones
  const t0 = performance.now()
  const next: SlowViewInput = { ms: 10, done: join(t.dir, 'next') }
  expect(await workers.build('slow-view-worker', SUPPORT, next, { owner: 'u1' })).toBe('{"built":true}')
  expect(performance.now() - t0).toBeLessThan(40_000) // a worker's start from source under load takes seconds; the abandoned views held 57 s more
  expect(gone.map((g) => existsSync(g.input.done))).toEqual(gone.map(() => false)) // never finished
}, 120_000)

it('a view waiting for a slot whose client hangs up leaves the queue without starting a worker', async () => {
  const workers = viewWorkers(t.store.db)
  const busy = Array.from({ length: WORKER_THREADS }, (_, i) => workers.build('slow-view-worker', SUPPORT, { ms: 1000, done: join(t.dir, `busy-${i}`) } satisfies SlowViewInput, { owner: 'u1' })) // busy while the next view waits and is aborted (at once, below)
  const hangUp = new AbortController()
  const waiting: SlowViewInput = { ms: 10, done: join(t.dir, 'waiting') }
  const view = workers.build('slow-view-worker', SUPPORT, waiting, { owner: 'u1', signal: hangUp.signal })
  hangUp.abort(new Error('gone'))
  await expect(view).rejects.toThrow('gone')
  await Promise.all(busy)
  await new Promise((r) => setTimeout(r, 500))
  expect(existsSync(waiting.done)).toBe(false)
}, 60_000)

it('a view whose build throws answers view_failed with the reason', async () => {
  const workers = viewWorkers(t.store.db)
  const failing: SlowViewInput = { ms: 0, done: join(t.dir, 'failing'), fail: 'the stored report is not JSON' }
  await expect(workers.build('slow-view-worker', SUPPORT, failing, { owner: 'u1' })).rejects.toMatchObject({ code: 'view_failed', message: expect.stringContaining('the stored report is not JSON') })
}, 60_000)
