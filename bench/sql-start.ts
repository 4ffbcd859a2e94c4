// Before/after for a SQL job's start (NEWUSER4 finding 9): `select 1` on this tree's JobDesk and on
// another tree's (a checkout of the commit before a change: `git archive <commit> | tar -x -C <dir>`,
// node_modules linked), one job at a time, the two servers taking turns (which goes first alternates),
// so both see the same machine state on a shared, loaded machine. A pause after each job leaves a
// spare SQL process time to boot, as a user reading a result before the next Run would.
//   npx tsx bench/sql-start.ts <other tree> [rounds=10] [pauseMs=2000]
// Both servers run the SQL child bundled as the build has it (as test/support/worker-bundle.ts does),
// from this tree. Prints per server the median and spread of submit → succeeded (the job's createdAt →
// finishedAt, and as the client saw it polling every 10 ms) and the CPU per job and pause of the server
// and its reaped children (the SQL processes).
import { build } from 'esbuild'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { WORKER_BUNDLE_ENV } from '../electron/worker-thread'
import { adminToken, json, median, startServer, stopServer, type Server } from './served-app'

const HERE = resolve(import.meta.dirname, '..')

/** Bundles sql-worker.ts into a folder of test-results/ (its packages resolve from node_modules) and names it for startChild; returns the folder. */
async function bundleSqlWorker(): Promise<string> {
  mkdirSync(join(HERE, 'test-results'), { recursive: true })
  const dir = mkdtempSync(join(HERE, 'test-results', 'sql-start-'))
  const entryPoints = { 'sql-worker': join(HERE, 'electron/executors/sql-worker.ts') }
  await build({ entryPoints, outdir: dir, bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'warning' })
  process.env[WORKER_BUNDLE_ENV] = dir
  return dir
}

/** CPU seconds of process `pid` and of its children it has reaped (utime, stime, cutime, cstime). */
function cpuWithChildren(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100
}

interface Side {
  name: string
  server: Server
  dir: string
  token: string
  serverMs: number[]
  clientMs: number[]
  cpuS: number[]
}

async function side(name: string, tree: string): Promise<Side> {
  const dir = mkdtempSync(`${tmpdir()}/jobdesk-sql-start-`)
  const server = await startServer(['jobdesk', dir], tree)
  return { name, server, dir, token: await adminToken(server.url), serverMs: [], clientMs: [], cpuS: [] }
}

/** Runs `select 1` on `s`, waits `pauseMs`, and records its times; the CPU is that of the job and the pause (where its process is reaped and the next spare boots). */
async function selectOne(s: Side, pauseMs: number): Promise<void> {
  const headers = { authorization: `Bearer ${s.token}`, 'content-type': 'application/json' }
  const cpu0 = cpuWithChildren(s.server.child.pid!)
  const sent = performance.now()
  const { id } = await json(`${s.server.url}/api/v1/jobs`, { method: 'POST', headers, body: JSON.stringify({ type: 'script', language: 'sql', code: 'select 1' }) })
  for (;;) {
    const job = await json(`${s.server.url}/api/v1/jobs/${id}`, { headers })
    if (job.status === 'succeeded') {
      s.clientMs.push(performance.now() - sent)
      s.serverMs.push(job.finishedAt - job.createdAt)
      break
    }
    if (['failed', 'cancelled', 'timed_out'].includes(job.status)) throw new Error(`${s.name}: job ${id} ${job.status}: ${job.error}`)
    await new Promise((r) => setTimeout(r, 10))
  }
  await new Promise((r) => setTimeout(r, pauseMs))
  s.cpuS.push(cpuWithChildren(s.server.child.pid!) - cpu0)
}

const [other, roundsText = '10', pauseText = '2000'] = process.argv.slice(2)
if (!other) throw new Error('usage: npx tsx bench/sql-start.ts <other tree> [rounds] [pauseMs]')
const bundle = await bundleSqlWorker()
const sides = [await side('before', resolve(other)), await side('after', HERE)]
const loads: number[] = []
try {
  for (let round = 0; round < Number(roundsText); round++) {
    for (const s of round % 2 ? [...sides].reverse() : sides) {
      loads.push(loadavg()[0])
      await selectOne(s, Number(pauseText))
    }
  }
  const range = (xs: number[], digits = 0) => `${median(xs).toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`
  for (const s of sides) {
    console.log(`${s.name.padEnd(7)} submit → succeeded ${range(s.serverMs)} ms (client ${range(s.clientMs)} ms), CPU/job ${range(s.cpuS.map((x) => x * 1000))} ms`)
  }
  console.log(`load average (1 min) ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`)
} finally {
  for (const s of sides) {
    await stopServer(s.server)
    rmSync(s.dir, { recursive: true, force: true })
  }
  rmSync(bundle, { recursive: true, force: true })
}
