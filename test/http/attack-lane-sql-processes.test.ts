// Attack (atk, #9 §2, the newcomer lane at half the pool): what SQL jobs running past the pool cost. Four
// plain users (no scripts right) run endless SQL (one sqlite3_step counting forever): two hold the pool
// of 4, two more each take a lane slot, so 6 SQL processes spin (4 + newcomerLane(4) = 2). Measured:
// each process's resident memory at its start (the floor) and the CPU they take. Each may grow to
// SQL_JOB_MEMORY_BYTES (1 GiB) before its watchdog kills it; nothing bounds their sum: at the default
// concurrency 16 that is 16 + 8 = 24 processes, up to 24 GiB (18 with the lane of an eighth).
// Measured on 8eff8e3d at load 17 on 2 cores: 6 processes, 69 MiB each at the floor (415 MiB; 24 of them
// ~1.6 GiB), 0.13-0.16 of a core each (the machine's 2 cores shared); this machine has 23 GiB in all.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newcomerLane } from '../../electron/engine/fair-queue'
import { SQL_JOB_MEMORY_BYTES } from '../../electron/executors/scratch-limit'
import { startTestApp, type TestApp } from '../support/app'
import { ENDLESS, sqlProcesses } from '../support/sql-processes'
import { addUser, type TestUser } from '../support/users'

const POOL = 4
let t: TestApp
let users: TestUser[]
const ids: { user: TestUser; id: number }[] = []
beforeAll(async () => {
  t = await startTestApp({ concurrency: POOL })
  users = []
  for (const name of ['pool1', 'pool2', 'lane1', 'lane2']) users.push(await addUser(t, name))
}, 60_000)
afterAll(async () => {
  for (const { user, id } of ids) await user.call('POST', `/api/v1/jobs/${id}/cancel`)
  await t?.close()
}, 60_000)

const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024
const cpuOf = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return Number(f[11]) + Number(f[12]) // utime + stime, clock ticks
}

describe('attack: endless SQL jobs in the pool and in the lane', () => {
  it('runs pool + lane SQL processes at once, each free to grow to its own limit', { timeout: 90_000 }, async () => {
    const submit = async (user: TestUser) => {
      const r = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: ENDLESS })
      expect(r.status, JSON.stringify(r.body)).toBe(201)
      ids.push({ user, id: r.body.id })
    }
    for (let i = 0; i < 3; i++) await submit(users[0]) // three of the pool (a user's share of 4)
    await submit(users[1])
    await new Promise((r) => setTimeout(r, 1_000))
    await submit(users[2])
    await submit(users[3])
    const want = POOL + newcomerLane(POOL)
    let pids: number[] = []
    for (let i = 0; i < 200 && pids.length < want; i++) {
      await new Promise((r) => setTimeout(r, 100))
      pids = sqlProcesses(process.pid).jobs
    }
    expect(pids.length).toBe(want)
    const cpu0 = pids.map(cpuOf)
    await new Promise((r) => setTimeout(r, 5_000))
    const cpu = pids.map((p, i) => (cpuOf(p) - cpu0[i]) / 100 / 5) // cores, over 5 s (100 ticks a second)
    const rss = pids.map(rssOf)
    const MiB = 1024 * 1024
    console.log(
      `${pids.length} SQL processes: RSS ${rss.map((r) => (r / MiB).toFixed(0)).join(', ')} MiB (sum ${(rss.reduce((a, b) => a + b, 0) / MiB).toFixed(0)}), CPU ${cpu.map((c) => c.toFixed(2)).join(', ')} cores; ` +
        `each may reach ${SQL_JOB_MEMORY_BYTES / MiB} MiB: at concurrency 16, ${16 + newcomerLane(16)} processes, ${((16 + newcomerLane(16)) * SQL_JOB_MEMORY_BYTES) / 1024 ** 3} GiB`,
    )
  })
})
