// The query workers (graph-host.ts, query-pool.ts), #9 verification: a query runs only on a worker
// that has loaded the Cypher parser, and the load (seconds on a busy machine) never counts against
// the query's own timeout. Before, the spare started after a stopped query's worker was terminated
// took the next query while it still loaded, and a trivial query answered "timed out after 1 s".
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { fixtureGraph } from '../cypher/fixture'
import { tempDir } from '../support/temp-store'
import { until } from '../support/until'
import { ENDLESS_CYPHER } from '../support/endless-cypher'

// query workers start from TypeScript sources here: on a busy machine that takes many seconds
vi.setConfig({ testTimeout: 180_000 })

// one host for the file (each worker's load is slow); the tests run in order, the first on a cold host
let dir = ''
let host: GraphHost
beforeAll(() => {
  dir = tempDir()
  fixtureGraph(dir, 'g').close()
  host = new GraphHost(dir)
})
afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

const admin = { username: 'admin', isAdmin: true }
const cypher = (script: string, timeoutSeconds?: number) => host.runCypher({ graph: 'g', script, timeoutSeconds, actor: admin })
/** Waits (bounded) until the host's query workers are as `done` says: the state a test needs, not a guess of how long it takes. */
const workersUntil = (done: (w: GraphHost['queryWorkers']) => boolean, what: string) => until(() => host.queryWorkers, done, what)
const rowsOf = (answer: Awaited<ReturnType<typeof cypher>>) => ('result' in answer ? answer.result.rows : answer)

it('does not count the parser’s load against the first query’s timeout (a cold host)', async () => {
  const started = Date.now()
  expect(rowsOf(await cypher('RETURN 1 AS x', 0.3))).toEqual([[1]])
  // the point of the test: the worker took longer to load than the query may take
  expect(Date.now() - started, 'a query worker loads the parser in more than 0.3 s').toBeGreaterThan(300)
})

it('serves the query after a stopped one from a warm worker, not from a spare still loading', async () => {
  await Promise.all([cypher('RETURN 1 AS x'), cypher('RETURN 2 AS x')])
  await workersUntil((w) => w.idle >= 2, 'two warm workers idle, as after any use')
  await expect(cypher(ENDLESS_CYPHER, 1)).rejects.toMatchObject({ code: 'query_timeout' })
  // its worker stopped (back idle) or was terminated 2 s past the timeout (gone): none is busy
  await workersUntil((w) => w.busy === 0, 'the stopped query’s worker no longer busy')
  expect(rowsOf(await cypher('RETURN 3 AS x'))).toEqual([[3]]) // takes a warm worker; a spare starts loading
  const started = Date.now()
  expect(rowsOf(await cypher('RETURN 4 AS x', 1))).toEqual([[4]])
  expect(Date.now() - started).toBeLessThan(1000)
})

it('lets a query wait for a worker when all are busy, and cancels it while it waits', async () => {
  const slow = 'MATCH (a), (b), (c), (d), (e), (f), (g), (h), (i), (j) RETURN count(*)' // stops itself at its timeout
  // every worker the pool may start (settled at once: one may time out while the test waits on another)
  const busy = Promise.allSettled([cypher(slow, 3), cypher(slow, 3), cypher(slow, 3)])
  const stop = new AbortController()
  const waiting = host.runCypher({ graph: 'g', script: 'RETURN 5 AS x', actor: admin }, stop.signal)
  await until(() => host.queryLoad.waiting + host.queryWorkers.waiting, (n) => n >= 1, 'RETURN 5 waiting for a worker')
  stop.abort()
  await expect(waiting).rejects.toMatchObject({ code: 'query_cancelled' })
  // waits its turn behind the three (the wait for a turn counts against its timeout: query-admission.ts)
  const queued = cypher('RETURN 6 AS x', 30)
  for (const b of await busy) expect(b).toMatchObject({ status: 'rejected', reason: { code: 'query_timeout' } })
  expect(rowsOf(await queued)).toEqual([[6]])
})

it('answers a fourth user’s quick query while three users’ slow statements hold the three workers (#9)', { timeout: 400_000 }, async () => {
  const slow = 'MATCH (a), (b), (c), (d), (e), (f), (g), (h), (i), (j) RETURN count(*)' // runs until stopped
  const as = (username: string, script: string, timeoutSeconds: number, signal?: AbortSignal) =>
    host.runCypher({ graph: 'g', script, timeoutSeconds, actor: { username, isAdmin: false } }, signal)
  const stop = new AbortController()
  let ended = 0
  // no timeout: they run until the test stops them (a worker may take minutes to boot on a loaded machine)
  const slows = ['bob', 'carol', 'dave'].map((u) => as(u, slow, 0, stop.signal).finally(() => ended++))
  try {
    await workersUntil((w) => w.busy === 3, 'the three slow statements each on a worker')
    const started = Date.now()
    // its timeout counts its wait in the queue (not a worker's load): before, it waited behind them and timed out
    const quick = await as('erin', 'RETURN 7 AS x', 10)
    expect(rowsOf(quick)).toEqual([[7]])
    expect(ended, 'the slow statements still run').toBe(0)
    console.log(`a fourth user's RETURN 7 beside three slow statements: ${Date.now() - started} ms`)
    // bob, who runs one already, still waits for a worker of the three: his statement times out in the queue
    await expect(as('bob', 'RETURN 8 AS x', 1)).rejects.toMatchObject({ code: 'query_timeout', message: expect.stringMatching(/waiting for a query worker: 1\.\d s in the queue at position 1 of 1, 3 of 3 workers busy/) })
  } finally {
    stop.abort()
    await Promise.allSettled(slows)
  }
})
