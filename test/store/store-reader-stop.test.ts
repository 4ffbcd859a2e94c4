// #9 §0: the one-answer store readers (result pages, views, value loads) are stopped with stopThread,
// never terminated: a thread terminated inside a better-sqlite3 call that then throws aborts the whole
// process (`FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal`, WiseLibs/better-sqlite3#842; it killed a
// CI run). A stopped reader ends itself: its exit code is 0 (a terminated thread's is 1), within a row
// of a filter that is one SQLite call of seconds, or before a view's next statement. The caller's
// promise still rejects at once on abort. A reader that answered ends by itself (its stop listener
// does not keep it alive).
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { AppError } from '../../shared/errors'
import type { GesViewInput } from '../../electron/http/dialects/ges/job-views'
import type { HistoryView } from '../../electron/http/dialects/linkis/history-page'
import { viewWorkers } from '../../electron/http/view-workers'
import { createResultReader } from '../../electron/services/result-query'
import type { ResultColumn, ResultSetMeta } from '../../electron/store/result.repository'
import { endStoreReaders, threadReadsStore } from '../../electron/store/store-readers'
import { valueReader } from '../../electron/store/value-reader'
import { startWorker, THREAD_STOP_GRACE_MS } from '../../electron/worker-thread'
import { storedSet } from '../support/export-set'
import { finishedScriptJob, inputJsonOf, MB } from '../support/finished-jobs'
import type { SlowViewInput } from '../support/slow-view-worker'
import { tempStore } from '../support/temp-store'
import { until } from '../support/until'

/** Rows of the big set: a filter that matches nothing reads all their cells twice, seconds in one SQLite call each. */
const BIG_ROWS = 200_000
const COLUMNS: ResultColumn[] = ['i', 'a', 'b', 'c'].map((name) => ({ name, type: 'TEXT' }))
const SUPPORT = join(__dirname, '../support')
const GES = join(__dirname, '../../electron/http/dialects/ges')
const LINKIS = join(__dirname, '../../electron/http/dialects/linkis')
/** A filter that matches no row: the page's read and its count walk every cell. */
const NO_MATCH = { filter: 'z'.repeat(998) }

const t = tempStore()
let big: ResultSetMeta
let small: ResultSetMeta // just above INLINE_QUERY_CELLS: a sorted page is read by a worker, quickly
beforeAll(() => {
  const row = (i: number) => [String(i), String(i).padStart(100, '0'), String(i * 7).padStart(100, '0'), String(i * 13).padStart(100, '0')]
  const jobId = t.store.jobs.create({ uuid: 'big', kind: 'script', name: 'big', submitter: 'u1' }, [])
  const set = t.store.results.create({ jobId, taskId: null, kind: 'table', columns: COLUMNS })
  for (let from = 0; from < BIG_ROWS; from += 10_000) t.store.results.append(set, from, Array.from({ length: 10_000 }, (_, k) => row(from + k)))
  t.store.results.finish(set, 'complete')
  big = t.store.results.get(jobId, 0)!
  small = storedSet(t, COLUMNS, Array.from({ length: 3_000 }, (_, i) => row(i)))
}, 120_000)
afterAll(() => t.cleanup())

/** The next worker thread this process starts, and its exit: the code and when (performance.now()). */
function nextWorker(): Promise<{ worker: Worker; exit: Promise<{ code: number; at: number }> }> {
  return new Promise((resolve) =>
    process.once('worker', (worker) => resolve({ worker, exit: new Promise((exited) => worker.once('exit', (code) => exited({ code, at: performance.now() }))) })),
  )
}

const online = (w: Worker) => new Promise<void>((resolve) => w.once('online', () => resolve()))
const gone = () => new AppError('unavailable', 'client_gone', 'the client closed the connection before the answer')

/**
 * Hangs up `answer`'s client (`hangUp`): the answer is refused with the hang-up's reason, and the
 * worker (`exit`) ends itself (code 0; terminated: 1) within a fifth of the grace.
 */
async function expectEndsOnHangUp(hangUp: AbortController, answer: Promise<unknown>, exit: Promise<{ code: number; at: number }>): Promise<void> {
  const reason = gone()
  const asked = performance.now()
  hangUp.abort(reason)
  await expect(answer).rejects.toBe(reason)
  const ended = await exit
  expect(ended.code).toBe(0)
  expect(ended.at - asked).toBeLessThan(THREAD_STOP_GRACE_MS / 5)
}

it('a result page whose client hangs up in its filter rejects at once, and its worker ends itself within a row (exit 0)', { timeout: 60_000 }, async () => {
  const hangUp = new AbortController()
  const started = nextWorker()
  const page = createResultReader(t.store.db).page(big, NO_MATCH, 0, 100, undefined, { owner: 'u1', signal: hangUp.signal })
  const { worker, exit } = await started
  await online(worker)
  await new Promise((r) => setTimeout(r, 300)) // into its filter (seconds of one SQLite call)
  const reason = gone()
  const asked = performance.now()
  hangUp.abort(reason)
  await expect(page).rejects.toBe(reason) // not answered before: the abort came inside the read
  expect(performance.now() - asked).toBeLessThan(200) // at once, not when the thread has ended
  const ended = await exit
  expect(ended.code).toBe(0) // ended itself; terminated: 1
  expect(ended.at - asked).toBeLessThan(THREAD_STOP_GRACE_MS / 5) // heard inside the SQLite call, not after it
})

it('closing the store stops a result page in its filter: the worker ends itself (exit 0) and the page fails', { timeout: 60_000 }, async () => {
  const started = nextWorker()
  const page = createResultReader(t.store.db).page(big, NO_MATCH, 0, 100, undefined, { owner: 'u1' })
  const failed = page.then(() => 'answered', (e: unknown) => e)
  const { worker, exit } = await started
  await online(worker)
  await new Promise((r) => setTimeout(r, 300))
  const asked = performance.now()
  await endStoreReaders(t.file)
  expect(performance.now() - asked).toBeLessThan(THREAD_STOP_GRACE_MS / 5)
  expect((await exit).code).toBe(0)
  expect(await failed).toMatchObject({ code: 'result_query_failed' })
})

it('a view whose client hangs up ends itself before its next statement (exit 0)', { timeout: 60_000 }, async () => {
  const hangUp = new AbortController()
  const input: SlowViewInput = { ms: 60_000, done: join(t.dir, 'queries'), queries: true }
  const started = nextWorker()
  const view = viewWorkers(t.store.db).build('slow-view-worker', SUPPORT, input, { owner: 'u1', signal: hangUp.signal })
  const { exit } = await started
  await until(() => existsSync(`${input.done}.started`), Boolean, 'the view building')
  await expectEndsOnHangUp(hangUp, view, exit)
  expect(existsSync(input.done)).toBe(false)
})

it("a GES list's partly-failed search (one SQLite call over every import's report) hears its client hang up within a job", { timeout: 60_000 }, async () => {
  // 30 succeeded imports with 1.2 MB reports: the search's page and count walk each (4.6-5.3 s for 40 at load 14)
  const report = JSON.stringify({ files: Array.from({ length: 20_000 }, (_, i) => ({ name: `f${i}.csv`, state: 'done', failed: 0, rolledBack: 0 })) })
  for (let j = 0; j < 30; j++) {
    const id = t.store.jobs.create({ uuid: `import-${j}`, kind: 'import', name: `import-${j}`, submitter: 'u1', input: {}, context: {} }, [{ name: 'import', executor: 'noop', spec: {} }])
    t.store.db.prepare('UPDATE tasks SET output = ? WHERE job_id = ?').run(report, id)
    t.store.db.prepare("UPDATE jobs SET status = 'succeeded', finished_at = 1 WHERE id = ?").run(id)
  }
  const hangUp = new AbortController()
  const started = nextWorker()
  const input: GesViewInput = { view: 'dataList', query: { statuses: ['succeeded'], partlyFailed: true, offset: 0, limit: 10 } }
  const view = viewWorkers(t.store.db).build('ges-view-worker', GES, input, { owner: 'u1', signal: hangUp.signal })
  const { worker, exit } = await started
  await online(worker)
  await new Promise((r) => setTimeout(r, 500)) // into its search
  await expectEndsOnHangUp(hangUp, view, exit) // within a job's report, not after the search
})

it("a Linkis history page (one SQLite call over its jobs' 4 MB inputs) hears its client hang up within a job", { timeout: 60_000 }, async () => {
  // 40 jobs of 4 MB inputs, the newest: the page's one statement reads 160 MB (30 of them: 1.2 s at load 11), then parses them
  for (let j = 0; j < 40; j++) finishedScriptJob(t.store, `history-${j}`, inputJsonOf(4 * MB))
  const hangUp = new AbortController()
  const started = nextWorker()
  const input: HistoryView = { page: { offset: 0, limit: 40 } }
  const view = viewWorkers(t.store.db).build('linkis-history-worker', LINKIS, input, { owner: 'u1', signal: hangUp.signal })
  const { worker, exit } = await started
  await online(worker)
  await new Promise((r) => setTimeout(r, 300)) // into its page's statement
  await expectEndsOnHangUp(hangUp, view, exit) // within a job, not after the page and its parse
})

it('closing the store stops a value load: its worker ends itself (exit 0) and the load fails', { timeout: 60_000 }, async () => {
  const id = finishedScriptJob(t.store, 'value-at-close', inputJsonOf(16 * MB))
  const started = nextWorker()
  const load = valueReader(t.file)(id, 'input', { owner: 'u1' })
  const failed = load.then(() => 'answered', (e: unknown) => e)
  const { worker, exit } = await started
  await online(worker)
  await endStoreReaders(t.file)
  expect((await exit).code).toBe(0)
  expect(await failed).toMatchObject({ message: expect.stringContaining('its worker stopped') })
})

it('a reader given a longer grace (a value load: one SQLite call of seconds) is not terminated in its call at close', { timeout: 60_000 }, async () => {
  // a worker busy past THREAD_STOP_GRACE_MS without a statement to hear the stop at, as a 64 MB load is
  const input: SlowViewInput = { ms: THREAD_STOP_GRACE_MS + 1_500, done: join(t.dir, 'long-call') }
  const worker = threadReadsStore(t.file, startWorker('slow-view-worker', SUPPORT, { storeFile: t.file, input }), { graceMs: 30_000 })
  const exit = new Promise<number>((resolve) => worker.once('exit', resolve))
  await until(() => existsSync(`${input.done}.started`), Boolean, 'the worker busy')
  await endStoreReaders(t.file)
  expect(await exit).toBe(0) // ended itself once its call returned; with the default grace: 1, terminated
  expect(existsSync(input.done)).toBe(true)
})

it('a reader that answered ends by itself: result page, view and value load (exit 0, nobody stops it)', { timeout: 60_000 }, async () => {
  const exits: Promise<{ code: number }>[] = []
  const answered = async <T>(read: () => Promise<T>): Promise<T> => {
    const started = nextWorker()
    const value = await read()
    exits.push((await started).exit)
    return value
  }
  const page = await answered(() => createResultReader(t.store.db).page(small, { sort: 1, order: 'desc' }, 0, 10, undefined, { owner: 'u1' }))
  expect(page.rowNumbers[0]).toBe(3_000)
  const view = await answered(() => viewWorkers(t.store.db).build('slow-view-worker', SUPPORT, { ms: 10, done: join(t.dir, 'answered'), queries: true } satisfies SlowViewInput, { owner: 'u1' }))
  expect(view).toBe('{"built":true}')
  const id = finishedScriptJob(t.store, 'value-answered', inputJsonOf(MB))
  expect((await answered(() => valueReader(t.file)(id, 'input', { owner: 'u1' })))?.length).toBe(MB + 8)
  // within the grace: stopThread was never called, so only ending by itself gets here
  const codes = await Promise.race([Promise.all(exits).then((e) => e.map((x) => x.code)), new Promise((r) => setTimeout(() => r('still running'), THREAD_STOP_GRACE_MS))])
  expect(codes).toEqual([0, 0, 0])
})
