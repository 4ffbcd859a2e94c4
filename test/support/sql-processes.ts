// A SQL job's process (electron/executors/sql-worker.ts), found by what /proc shows of it: tests of
// cancel, of the spare process (child-process.ts warmChildren) and of the server's death.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { expect } from 'vitest'
import { waitForStatus, type TestApp } from './app'
import type { TestUser } from './users'

/** Never ends: one sqlite3_step that counts forever, without ever coming back to JavaScript. */
export const ENDLESS = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c;'

/** A first statement that ends, then ENDLESS: its first result set says the second statement is under way. */
export const SECOND_ENDLESS = `select 1 as x;\n${ENDLESS}`

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Call = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>

/**
 * SQL script jobs submitted through the native API (POST /api/v1/jobs) as whoever `call` signs in as,
 * each kept to be cancelled by cancelAll when the test ends or between cases (ENDLESS jobs never end
 * on their own).
 */
export class SqlJobs {
  private readonly live: { call: Call; id: number }[] = []

  /** Submits `code` as `call`'s user; the job's id. Fails the test unless it is taken (201). */
  async submit(call: Call, code: string): Promise<number> {
    const r = await call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
    expect(r.status, JSON.stringify(r.body)).toBe(201)
    this.keep(call, r.body.id)
    return r.body.id
  }

  /** Keeps job `id`, submitted otherwise as `call`'s user, to be cancelled by cancelAll. */
  keep(call: Call, id: number): void {
    this.live.push({ call, id })
  }

  /** Cancels every job submitted or kept here, each as its submitter, and forgets them. */
  async cancelAll(): Promise<void> {
    for (const { call, id } of this.live.splice(0)) await call('POST', `/api/v1/jobs/${id}/cancel`)
  }
}

/** Waits until the job `id` has a result set: its SQL process is up and on its second statement. */
export async function waitForFirstSet(call: (method: string, path: string) => Promise<{ status: number; body: any }>, id: number): Promise<void> {
  const end = Date.now() + 30_000
  while ((await call('GET', `/api/v1/jobs/${id}/results`)).body?.length < 1) {
    if (Date.now() > end) throw new Error(`job ${id} wrote no result set within 30 s`)
    await sleep(100)
  }
}

/** Whether process `pid` lives (a zombie, which only waits to be reaped, does not). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0])
  } catch {
    return false
  }
}

/** The files process `pid` has open, by path ([] once it has ended). */
export function openFiles(pid: number): string[] {
  let fds: string[]
  try {
    fds = readdirSync(`/proc/${pid}/fd`)
  } catch {
    return []
  }
  return fds.flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/${pid}/fd/${fd}`)]
    } catch {
      return [] // closed meanwhile
    }
  })
}

/**
 * Live SQL processes whose parent is `parent`, by pid: `jobs` have a scratch database (`*.sqlite`)
 * open, so they run a job; `spares` have none: started ahead, waiting for a job. Linux /proc.
 */
export function sqlProcesses(parent: number): { jobs: number[]; spares: number[] } {
  const found = { jobs: [] as number[], spares: [] as number[] }
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    const pid = Number(e)
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      if (/^[ZX]$/.test(state) || Number(ppid) !== parent) continue
      if (!readFileSync(`/proc/${e}/cmdline`, 'latin1').includes('sql-worker')) continue
      ;(openFiles(pid).some((f) => f.endsWith('.sqlite')) ? found.jobs : found.spares).push(pid)
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** Waits until `pids` (processes) have all ended; returns how long that took (ms), or fails after `limitMs`. */
export async function goneWithin(pids: number[], limitMs: number): Promise<number> {
  const started = Date.now()
  while (pids.some(alive)) {
    if (Date.now() - started > limitMs) throw new Error(`still running after ${limitMs} ms: ${pids.filter(alive).join(', ')}`)
    await sleep(50)
  }
  return Date.now() - started
}

/** Whether SQL process `pid` has loaded better-sqlite3: it has booted (its modules load before it waits for a job). */
export function booted(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/maps`, 'latin1').includes('better_sqlite3.node')
  } catch {
    return false
  }
}

/**
 * `user`'s SQL job of `t`, ended succeeded, whose one result set has `rows` rows (i, then pad: i as
 * `width` digits): an export's source of a known size. Its id; fails the test otherwise (60 s).
 */
export async function sqlResultJob(t: TestApp, user: TestUser, rows: number, width: number): Promise<number> {
  const code = `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${rows}) select i, printf('%0${width}d', i) as pad from n;`
  const { status, body } = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(status, JSON.stringify(body)).toBe(201)
  const done = await waitForStatus(t, body.id, ['succeeded', 'failed'], 60_000)
  expect(done.status, JSON.stringify(done)).toBe('succeeded')
  return body.id as number
}
