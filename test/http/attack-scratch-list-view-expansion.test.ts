// Attack (#9 §1 §2, atk12): the Scripts page's table list (GET /api/v1/scratch/tables) resolves the
// columns of every view of the caller's scratch database in a worker thread of the server process
// (services/scratch-tables.ts scratchTablesReader, scratch-schema.ts readScratchList: pragma_table_info).
// SQLite expands each view a view names into a copy of its SELECT, so a chain of views that each name
// the one before twice (`v1 AS SELECT a FROM v0 UNION ALL SELECT a FROM v0`, …) costs 2^depth copies
// (SQLite stops at 65,535 references to one table: depth 15 is 32,768), and one view naming the tops of
// several such chains (each on its own base table) multiplies that by the chains (up to 500, SQLite's
// compound limit). Measured with better-sqlite3 alone, one pragma_table_info of the top view: 4 chains
// 5.0 s and 256 MB, 16 chains 12.2 s and 886 MB, 32 chains 30 s and 1.73 GB (peak RSS): one SQLite call,
// which ending the worker cannot stop, and native memory its heap limit (WORKER_LIMITS) does not count.
// A user granted nothing (SQL needs no right) writes it with one SQL job. Then:
// 1. The reads share one slot (WORKER_THREADS is 1 on 2 cores) and 8 waiting places among all users:
//    eve's 9 lists of such a schema (16 chains) held the feature 132 s over real HTTP (each 10 to 27 s,
//    past the 10 s limit, as the call cannot be stopped), and admin's list of a one-table database, sent
//    a second after hers, was refused at once: 503 too_many_scratch_reads. She can keep it so.
// 2. Nothing bounds the worker's native memory: the server's peak RSS grows ~55 MB per chain, so 500
//    chains (~27 GB by that rate) end the whole JobDesk process by the system's out-of-memory killer.
//    Not run to the end here (a shared machine): 8 chains must not add 256 MB to the server's peak.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { servedProcessSuite } from '../support/served-process'
import { createUser } from '../support/users'

const app = servedProcessSuite()

/** SQL that makes `chains` chains of views 15 deep, each on its own table, and `a_top` naming all their tops. */
function expandingViews(chains: number): string {
  const depth = 15
  const lines: string[] = []
  for (let c = 0; c < chains; c++) {
    lines.push(`CREATE TABLE t${c} (a);`, `CREATE VIEW c${c}_0 AS SELECT a FROM t${c};`)
    for (let i = 1; i <= depth; i++) lines.push(`CREATE VIEW c${c}_${i} AS SELECT a FROM c${c}_${i - 1} UNION ALL SELECT a FROM c${c}_${i - 1};`)
  }
  lines.push(`CREATE VIEW a_top AS ${Array.from({ length: chains }, (_, c) => `SELECT a FROM c${c}_${depth}`).join(' UNION ALL ')};`)
  return lines.join('\n')
}

async function runSql(token: string, code: string): Promise<void> {
  const auth = { authorization: `Bearer ${token}` }
  const res = await fetch(`${app.url}/api/v1/jobs`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'script', language: 'sql', code, timeoutSeconds: 300 }),
  })
  expect(res.status).toBe(201)
  const { id } = (await res.json()) as { id: number }
  for (;;) {
    const job = (await (await fetch(`${app.url}/api/v1/jobs/${id}`, { headers: auth })).json()) as { status: string }
    if (job.status !== 'queued' && job.status !== 'running') {
      expect(job.status).toBe('succeeded')
      return
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** GET of the caller's scratch table list; `signal` hangs up (the server then kills the list's child). */
const list = (token: string, signal?: AbortSignal) => fetch(`${app.url}/api/v1/scratch/tables`, { headers: { authorization: `Bearer ${token}` }, signal })

/** The server process's peak resident memory so far (bytes), from /proc (Linux). */
function peakRss(pid: number): number {
  const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  if (!kb) throw new Error('no VmHWM in /proc status')
  return Number(kb[1]) * 1024
}

describe('attack: a scratch database of views that expand exponentially', () => {
  it('a table list takes no unbounded memory in the server process', async () => {
    const mallory = await createUser(app, 'mallory')
    await runSql(mallory.token, expandingViews(8))
    // first in the file: the peak so far is the app's own, not an earlier test's lists
    const before = peakRss(app.child.pid!)
    const res = await list(mallory.token)
    await res.arrayBuffer()
    const grown = peakRss(app.child.pid!) - before
    // before: ~55 MB a chain (8 chains ~440 MB), whatever the list answers
    expect(grown, `peak RSS grew ${Math.round(grown / 2 ** 20)} MB (answer ${res.status})`).toBeLessThan(256 * 2 ** 20)
  }, 300_000)

  it("one user's table lists do not refuse another user's", async () => {
    const eve = await createUser(app, 'eve')
    await runSql(eve.token, expandingViews(4)) // ~5 s a list here: 9 of them hold the slot ~45 s
    await runSql(app.token, 'CREATE TABLE mine (x);')
    const eveGone = new AbortController()
    const eves = Array.from({ length: 9 }, () => list(eve.token, eveGone.signal).then(async (r) => (await r.arrayBuffer(), r.status)))
    await new Promise((r) => setTimeout(r, 1000))
    const started = performance.now()
    const admins = await list(app.token)
    const body = await admins.text()
    const ms = performance.now() - started
    // admin's answer is measured: eve hangs up, which ends her lists (their children killed) before
    // the app ends, without the test waiting ~45 s for them to be read
    eveGone.abort()
    await Promise.allSettled(eves)
    // before: 503 too_many_scratch_reads at once ("9 scratch table lists are already being read or waiting")
    expect(admins.status, body).toBe(200)
    expect(ms).toBeLessThan(5000)
  }, 300_000)
})
