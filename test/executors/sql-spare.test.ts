// A SQL job starts in a process started ahead of it (the spare, child-process.ts warmChildren), yet
// every job has a process of its own: the next user's job never runs where the last one ran, cancel
// still kills it at once, and no spare outlives the app.
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { warmChildren } from '../../electron/child-process'
import { scratchFileOf } from '../../electron/user-file-names'
import { ENDED_STATUSES, waitForStatus, type TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import { alive, booted, goneWithin, openFiles, SECOND_ENDLESS, sqlProcesses, waitForFirstSet } from '../support/sql-processes'
import { until } from '../support/until'
import type { TestUser } from '../support/users'

/** A first statement, then one that counts for a few seconds and ends: its process is seen running, then ends with the job. */
const SECOND_SLOW = 'select 1 as x;\nWITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 5000000) SELECT count(*) FROM c;'

/** The one booted spare SQL process of this process's app, once there is one. */
async function bootedSpare(): Promise<number> {
  const { spares } = await until(() => sqlProcesses(process.pid), (p) => p.spares.length === 1 && booted(p.spares[0]), 'a booted spare SQL process', 30_000)
  return spares[0]
}

/** The scratch databases process `pid` has open. */
const scratchOpen = (pid: number) => [...new Set(openFiles(pid).filter((f) => f.endsWith('.sqlite')))]

describe('SQL jobs: a process started ahead, and of its own', () => {
  let t: TestApp | undefined
  let alice: TestUser
  let bob: TestUser
  const suite = appSuite('alice', 'bob')
  beforeAll(() => ({ t, users: { alice, bob } } = suite))

  it("runs the next user's job in the spare, not in the last job's process, and cancel kills it at once", async () => {
    const app = t!
    const a = (await alice.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_SLOW })).body
    await waitForFirstSet(alice.call, a.id)
    const [alicePid] = sqlProcesses(process.pid).jobs
    expect(scratchOpen(alicePid)).toEqual([scratchFileOf(join(app.dir, 'scratch'), 'alice')])
    const spare = await bootedSpare() // started once alice's process was up; it holds no database yet
    expect(scratchOpen(spare)).toEqual([])
    expect((await waitForStatus(app, a.id, ENDED_STATUSES, 60_000)).status).toBe('succeeded')
    await goneWithin([alicePid], 5000) // a process ends with its job: it serves no other

    const b = (await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_ENDLESS })).body
    await waitForFirstSet(bob.call, b.id)
    const { jobs } = sqlProcesses(process.pid)
    expect(jobs).toEqual([spare]) // bob's job took the spare ...
    expect(spare).not.toBe(alicePid) // ... which is not the process alice's job ran in
    expect(scratchOpen(spare)).toEqual([scratchFileOf(join(app.dir, 'scratch'), 'bob')]) // and opened bob's database only
    const cancelled = Date.now()
    expect((await bob.call('POST', `/api/v1/jobs/${b.id}/cancel`)).status).toBe(200)
    console.log(`the SQL process started as a spare was gone ${await goneWithin([spare], 5000)} ms after the cancel`)
    expect((await waitForStatus(app, b.id, ['cancelled'], 15_000)).status).toBe('cancelled')
    expect(Date.now() - cancelled).toBeLessThan(5000)
  }, 120_000)

  it('runs each of two jobs of one user, one after the other, in a process of its own', async () => {
    const app = t!
    const pids: number[] = []
    for (let i = 0; i < 2; i++) {
      const spare = await bootedSpare()
      const job = (await alice.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: SECOND_ENDLESS })).body
      await waitForFirstSet(alice.call, job.id)
      expect(sqlProcesses(process.pid).jobs).toEqual([spare])
      pids.push(spare)
      expect((await alice.call('POST', `/api/v1/jobs/${job.id}/cancel`)).status).toBe(200)
      await goneWithin([spare], 5000)
      expect((await waitForStatus(app, job.id, ['cancelled'], 15_000)).status).toBe('cancelled')
    }
    expect(pids[0]).not.toBe(pids[1])
  }, 120_000)

  it('leaves no spare SQL process running once the app has closed', async () => {
    const spare = await bootedSpare()
    await t!.close()
    t = undefined
    await goneWithin([spare], 2000)
    expect(sqlProcesses(process.pid)).toEqual({ jobs: [], spares: [] })
  }, 60_000)
})

describe('an idle spare', () => {
  it('is ended once no job took it within its idle time, and the next job starts a process of its own', async () => {
    const warm = warmChildren('sql-worker', resolve('electron/executors'), 1500)
    try {
      warm.refill()
      const idle = warm.sparePid!
      expect(alive(idle)).toBe(true)
      await goneWithin([idle], 15_000) // ended after 1.5 s idle (was: kept until the app closed, ~60 MB)
      expect(warm.sparePid).toBeUndefined()
      const next = warm.take() // none waiting: a process of its own
      expect(next.pid).not.toBe(idle)
      next.kill('SIGKILL')
      // a spare that is taken is the job's: no idle time applies to it
      warm.refill()
      const taken = warm.take()
      await new Promise((r) => setTimeout(r, 2500))
      expect(alive(taken.pid!)).toBe(true)
      taken.kill('SIGKILL')
    } finally {
      warm.close()
    }
  }, 40_000)
})
