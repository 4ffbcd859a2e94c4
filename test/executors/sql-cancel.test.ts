// Cancel and timeout stop a SQL job's statement, even one that never returns to JavaScript (#9 §5):
// the script runs in its own process, which is killed, and which dies with the server.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { startServedProcess } from '../support/served-process'
import { booted, ENDLESS, goneWithin, SECOND_ENDLESS, sqlProcesses, waitForFirstSet } from '../support/sql-processes'
import { until } from '../support/until'
import { addUser, type TestUser } from '../support/users'

/** CPU time (ms) each thread of this process has used so far, by thread id (Linux /proc). */
function threadCpuMs(): Map<number, number> {
  const out = new Map<number, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')
      out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1000) / 100)
    } catch {
      // the thread ended meanwhile
    }
  }
  return out
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Waits until `count` SQL processes of `parent` run a job (a child booting from source under load takes seconds). */
async function waitForSqlProcesses(parent: number, count: number): Promise<number[]> {
  const end = Date.now() + 30_000
  for (;;) {
    const found = sqlProcesses(parent).jobs
    if (found.length >= count) return found
    if (Date.now() > end) throw new Error(`${found.length} of ${count} SQL processes started`)
    await sleep(100)
  }
}

describe('SQL jobs: cancel and timeout stop the statement', () => {
  let t: TestApp
  let bob: TestUser
  beforeAll(async () => {
    t = await startTestApp({ concurrency: 8 })
    bob = await addUser(t, 'bob')
  })
  afterAll(() => t?.close())

  it('leaves no process or thread burning CPU after a SQL job is cancelled', async () => {
    const ids: number[] = []
    for (let i = 0; i < 2; i++) ids.push((await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_ENDLESS })).body.id)
    for (const id of ids) await waitForFirstSet(bob.call, id)
    const pids = sqlProcesses(process.pid).jobs
    expect(pids).toHaveLength(ids.length)
    await sleep(500) // inside sqlite3_step
    const cancelled = Date.now()
    for (const id of ids) expect((await bob.call('POST', `/api/v1/jobs/${id}/cancel`)).status).toBe(200)
    const gone = await goneWithin(pids, 5000)
    console.log(`SQL processes gone ${gone} ms after the cancel`)
    for (const id of ids) expect((await waitForStatus(t, id, ['cancelled'], 15_000)).status).toBe('cancelled')
    expect(Date.now() - cancelled).toBeLessThan(5000)
    // what the first statement wrote stays; the set the second was writing is marked partial
    const sets = (await bob.call('GET', `/api/v1/jobs/${ids[0]}/results`)).body
    expect(sets.map((s: { state: string }) => s.state)).toEqual(['complete', 'partial'])
    // and nothing of them is left in this process either (a worker thread ran on inside sqlite3_step)
    const before = threadCpuMs()
    await sleep(3000)
    const after = threadCpuMs()
    const busy = [...after].filter(([tid]) => tid !== process.pid).map(([tid, ms]) => [tid, ms - (before.get(tid) ?? ms)] as const).filter(([, ms]) => ms > 300)
    expect(busy).toEqual([])
  }, 90_000)

  it('a cancel while another connection holds the write lock ends the job cancelled, its set partial once the lock is free', async () => {
    // attack2: marking the set partial threw SQLITE_BUSY from the process's 'close' handler, which
    // ended the whole server when another user's SQL job held the lock at that moment
    const { body } = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_ENDLESS })
    await waitForFirstSet(bob.call, body.id)
    const holder = new Database(t.app.store.db.name)
    t.app.engine.cancel(body.id) // kills the process; its 'close' comes in a later turn, the lock held by then
    holder.exec('BEGIN IMMEDIATE')
    try {
      await sleep(1500) // the process is killed and closes meanwhile; its set's mark waits for the lock
    } finally {
      holder.exec('COMMIT')
      holder.close()
    }
    expect((await waitForStatus(t, body.id, ['cancelled'], 15_000)).status).toBe('cancelled')
    const sets = (await bob.call('GET', `/api/v1/jobs/${body.id}/results`)).body
    expect(sets.map((s: { state: string }) => s.state)).toEqual(['complete', 'partial'])
  }, 60_000)

  it('stops the statement when the job times out', async () => {
    const { body } = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: ENDLESS, timeoutSeconds: 3 })
    await waitForStatus(t, body.id, ['running'], 15_000)
    const pids = await waitForSqlProcesses(process.pid, 1)
    const job = await waitForStatus(t, body.id, ['timed_out', 'failed', 'succeeded'], 30_000)
    expect(job.status).toBe('timed_out')
    await goneWithin(pids, 2000)
  }, 60_000)
})

describe('SQL jobs: the SQL process dies with the server', () => {
  it('ends a running statement, and the spare SQL process, when the server is killed with kill -9', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobdesk-sqlkill-'))
    const served = await startServedProcess(dir)
    try {
      const made = await fetch(`${served.url}/api/v1/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${served.token}` },
        body: JSON.stringify({ type: 'script', language: 'sql', code: SECOND_ENDLESS }),
      })
      expect(made.status).toBe(201)
      const { id } = (await made.json()) as { id: number }
      const call = async (method: string, path: string) => {
        const res = await fetch(`${served.url}${path}`, { method, headers: { authorization: `Bearer ${served.token}` } })
        return { status: res.status, body: await res.json() }
      }
      await waitForFirstSet(call, id)
      // the job's process, and the spare started for the next job once it was up, booted and waiting
      const { jobs, spares } = await until(() => sqlProcesses(served.child.pid!), (p) => p.spares.length === 1 && booted(p.spares[0]), 'a booted spare SQL process', 30_000)
      expect(jobs).toHaveLength(1)
      await sleep(500) // inside sqlite3_step
      await served.kill('SIGKILL')
      console.log(`SQL processes (job, spare) gone ${await goneWithin([...jobs, ...spares], 5000)} ms after the server's kill -9`)
    } finally {
      await served.kill()
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
