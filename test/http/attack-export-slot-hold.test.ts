// atk35: one user's unread export holds every other user's exports (services/export/exporter.ts). A
// result set of over 1,000 rows (or a sorted or filtered view of one) is written in an export worker,
// and exports share WORKER_THREADS running slots (1 on this 2-core machine) and 8 waiting places. The
// worker waits for its reader (acknowledgements held back while the answer's stream is full) and keeps
// its slot for as long as the reader stays connected: there is no idle or write timeout. So mallory
// (a plain user) asks for the CSV of her own 20 MB result and reads nothing; from then on bob's export
// of his own 2,000-row result (and the admin's, and Linkis downloads) waits with no end, and once 8
// wait, every further one is refused with too_many_exports. Measured: bob's CSV had no answer in 15 s
// (it answered in 388 ms with mallory's request hung up first), load 9-14.
// The worker's read snapshot (result-query.ts cursor: a transaction from the first row to close) is
// held as long: SQLite cannot checkpoint the WAL past it, so every write of every job grows the WAL
// file for as long as mallory's socket stays open. Measured: 40 jobs of 1 MB inputs written meanwhile,
// wal_checkpoint(TRUNCATE) still busy after 60 s of tries (0 of 10,814 frames checkpointed), the WAL at
// 44.6 MB and growing with each write; without her export, the same checkpoint at once, WAL 0 (load 12-15).
import { statSync } from 'node:fs'
import { request, type ClientRequest } from 'node:http'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXPORTS_PER_USER } from '../../electron/services/export/exporter'
import { WORKER_THREADS } from '../../electron/worker-slots'
import { appSuiteWith, type AppSuite } from '../support/app-suite'
import { linkisClient } from '../linkis/support'
import { sqlResultJob } from '../support/sql-processes'

/** An app with mallory and bob, and `hers`: mallory's finished result, a CSV of ~21 MB (set before the describe's tests). */
interface ExportSuite {
  suite: AppSuite<'mallory' | 'bob'>
  hers: number
}

/**
 * The ExportSuite of the describe it is called in, its app's exports waiting `idleMs` for a reader
 * that takes nothing (exporter.ts EXPORT_IDLE_MS, 15 s, unless set).
 */
function exportSuite(idleMs?: number): ExportSuite {
  const s: ExportSuite = { suite: appSuiteWith({ exportPace: { idleMs } }, 'mallory', 'bob'), hers: 0 }
  beforeAll(async () => {
    s.hers = await sqlResultJob(s.suite.t, s.suite.users.mallory, 200_000, 100) // more than the socket buffers of a paused loopback client
  }, 120_000)
  return s
}

const open: ClientRequest[] = []
afterEach(() => open.splice(0).forEach((r) => r.destroy()))

/** A request for `path` (in `open`, which the test may destroy: a client hanging up), sent. */
function openRequest({ suite }: ExportSuite, path: string, headers: Record<string, string>): ClientRequest {
  const req = request(new URL(`${suite.t.url}${path}`), { headers })
  open.push(req)
  req.on('error', () => undefined)
  req.end()
  return req
}

/** Mallory asks for the CSV of her result (`query`: a view's sort or filter) and reads none of it; resolves once her export's worker waits for her. */
async function unreadExport(s: ExportSuite, query = ''): Promise<void> {
  const req = openRequest(s, `/api/v1/jobs/${s.hers}/results/0/csv${query}`, { authorization: `Bearer ${s.suite.users.mallory.token}` })
  const answered = new Promise<number>((resolve) =>
    req.on('response', (res) => {
      res.pause() // a client that reads nothing
      resolve(res.statusCode ?? 0)
    }),
  )
  expect(await answered).toBe(200)
  await new Promise((r) => setTimeout(r, 2000)) // her worker has filled the buffers and waits for her
}

// What ends an unread export is the rate rule's idle time: 4 s here in place of EXPORT_IDLE_MS's 15 s,
// so these tests wait 4 s for it, not 15 (the old code never ended one, whatever the time).
const IDLE_MS = 4000

describe(`an unread export is stopped after the idle time (${IDLE_MS} ms here)`, () => {
  const s = exportSuite(IDLE_MS)

  it("a user's export that is never read does not hold another user's export", { timeout: 120_000 }, async () => {
    const { bob } = s.suite.users
    const his = await sqlResultJob(s.suite.t, bob, 2_000, 10)
    await unreadExport(s)
    const t0 = Date.now()
    // her export is stopped once it has taken nothing for IDLE_MS (counted from when her buffers
    // filled, before the 2 s above): bob's answer comes by then; the old code never answered
    const mine = await Promise.race([bob.call('GET', `/api/v1/jobs/${his}/results/0/csv`), new Promise<undefined>((r) => setTimeout(r, IDLE_MS + 15_000))])
    const ms = Date.now() - t0
    expect(mine, `bob's export of his own 2,000 rows had no answer in ${ms} ms while mallory's unread export held the export slot`).toBeDefined()
    expect(mine!.status).toBe(200)
    expect(mine!.body.csv.split('\r\n')[1]).toBe(`1,${'1'.padStart(10, '0')}`)
  })

  it("a user's export that is never read does not keep the database's WAL from being checkpointed", { timeout: 150_000 }, async () => {
    const { t } = s.suite
    const store = t.app.store
    await unreadExport(s, '?sort=1&order=desc') // a view: the worker's cursor holds one read snapshot for the whole file
    // other work goes on: 40 jobs of 1 MB inputs
    for (let i = 0; i < 40; i++) {
      store.jobs.create({ uuid: `w${i}`, kind: 'script', name: `w${i}`, submitter: 'admin', input: { s: '' }, inputJson: `{"s":"${'w'.repeat(1024 * 1024)}"}` }, [])
    }
    let last: unknown
    const t0 = Date.now()
    for (; Date.now() - t0 < 60_000; await new Promise((r) => setTimeout(r, 1000))) {
      const [r] = store.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number; checkpointed: number }[]
      last = r
      if (r.busy === 0 && r.log === r.checkpointed) break
    }
    const walBytes = statSync(`${store.db.name}-wal`).size
    expect({ checkpoint: last, walMB: Math.round(walBytes / 1024 / 1024) }, `mallory's unread export held the WAL for ${Date.now() - t0} ms`).toEqual({ checkpoint: { busy: 0, log: 0, checkpointed: 0 }, walMB: 0 })
  })
})

describe('exports running or waiting, counted per user (the idle time at its default)', () => {
  const s = exportSuite()

  it("a user's exports past 2 running or waiting are refused with 429, another user's are not", { timeout: 120_000 }, async () => {
    const { mallory, bob } = s.suite.users
    const his = await sqlResultJob(s.suite.t, bob, 2_000, 10)
    await unreadExport(s) // running, unread
    const waiting = mallory.call('GET', `/api/v1/jobs/${s.hers}/results/0/csv`) // waiting for the slot
    await new Promise((r) => setTimeout(r, 500))
    const third = await mallory.call('GET', `/api/v1/jobs/${s.hers}/results/0/csv`)
    expect(third.status).toBe(429)
    expect(third.body.error).toMatchObject({ kind: 'rate_limited', code: 'too_many_exports_of_user' })
    open.splice(0).forEach((r) => r.destroy()) // her unread export's reader goes away: the waiting one runs
    expect((await waiting).status).toBe(200)
    expect((await bob.call('GET', `/api/v1/jobs/${his}/results/0/csv`)).status).toBe(200)
  })

  /** A way bob asks for the CSV of job `job`: its path and his credential's headers (native: bearer; Linkis: his session cookie). */
  type Way = (job: number) => Promise<{ path: string; headers: Record<string, string> }>
  const native: Way = async (job) => ({ path: `/api/v1/jobs/${job}/results/0/csv`, headers: { authorization: `Bearer ${s.suite.users.bob.token}` } })
  const linkis: Way = async (job) => {
    const client = linkisClient(s.suite.t.url)
    await client.login('bob', s.suite.users.bob.password)
    const path = encodeURIComponent(`file:///jobdesk/bob/result/${job}/_0.dolphin`)
    return { path: `/api/rest_j/v1/filesystem/resultsetToExcel?path=${path}&outputFileType=csv`, headers: { cookie: client.cookie } }
  }

  it.each([
    ['native', native],
    ['Linkis', linkis],
  ])("a waiting export whose client hangs up gives up its place and its user's count (%s)", { timeout: 120_000 }, async (_name, way) => {
    const { bob } = s.suite.users
    const his = await sqlResultJob(s.suite.t, bob, 2_000, 10)
    const { path, headers } = await way(his)
    for (let i = 0; i < WORKER_THREADS; i++) await unreadExport(s) // every running slot held (at most 2: her per-user cap)
    const gone = openRequest(s, path, headers) // waits for a slot
    await new Promise((r) => setTimeout(r, 500))
    gone.destroy() // bob's browser tab closed while it waited
    await new Promise((r) => setTimeout(r, 500))
    // his own cap: the export he gave up no longer counts, so he may have EXPORTS_PER_USER waiting again
    const retries = Array.from({ length: EXPORTS_PER_USER }, async () => {
      const res = await fetch(`${s.suite.t.url}${path}`, { headers })
      return { status: res.status, text: await res.text() }
    })
    const early = await Promise.race([Promise.race(retries), new Promise<undefined>((r) => setTimeout(r, 1000))])
    expect(early?.text ?? 'still waiting', 'a retry after hanging up a waiting export was refused').toBe('still waiting')
    open.splice(0).forEach((r) => r.destroy()) // her readers go away: the slots go to his retries, not to the request he gave up
    for (const answer of await Promise.all(retries)) expect({ status: answer.status, refused: /exports running or waiting/.test(answer.text) }).toEqual({ status: 200, refused: false })
  })
})
