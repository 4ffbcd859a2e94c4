// REST overhead (#14.2): the status polls clients send most — native `GET /api/v1/jobs/:id`,
// Rill Flow `get.json` brief, Linkis `entrance/:id/status` — against a bare fastify route
// answering a similar JSON object, same load generator (autocannon), same connections, same run.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import autocannon from 'autocannon'
import { cpuSeconds, json, median, startServer } from './served-app'

const CONNECTIONS = 10

export interface PollFigures {
  name: string
  /** Median over the rounds: requests answered per second. */
  reqPerSecond: number
  /** Lowest and highest requests per second over the rounds. */
  spread: [number, number]
  /** Median server CPU time per request, µs (user + system of the server process). */
  cpuUsPerRequest: number
  /** Median over the rounds of this poll's req/s divided by the bare route's in the same round. */
  ratioToBare: number
  /**
   * Median over the rounds of the bare route's CPU per request divided by this poll's, same round:
   * the share of the bare route's throughput this poll would reach on a server-bound core (steadier
   * than req/s, which the load generator and other load on the machine move).
   */
  cpuRatioToBare: number
}

export interface RestOverheadResult {
  rounds: number
  durationSeconds: number
  polls: PollFigures[]
}

async function load(url: string, headers: Record<string, string>, seconds: number, pid: number): Promise<{ reqPerSecond: number; cpuUsPerRequest: number }> {
  const cpuBefore = cpuSeconds(pid)
  const result = await new Promise<autocannon.Result>((ok, fail) =>
    autocannon({ url, connections: CONNECTIONS, duration: seconds, headers }, (e, r) => (e ? fail(e) : ok(r))),
  )
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  const requests = result.requests.total
  return { reqPerSecond: requests / seconds, cpuUsPerRequest: ((cpuSeconds(pid) - cpuBefore) * 1e6) / requests }
}

/** Seeds one finished job of each dialect and returns the poll requests to measure. */
export async function seedPolls(url: string): Promise<{ name: string; path: string; headers: Record<string, string> }[]> {
  const { token } = await json(`${url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }) })
  const bearer = { authorization: `Bearer ${token}` }
  const job = await json(`${url}/api/v1/jobs`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: JSON.stringify({ type: 'script', language: 'sql', code: 'select 1 as x' }) })
  for (let i = 0; (await json(`${url}/api/v1/jobs/${job.id}`, { headers: bearer })).status !== 'succeeded'; i++) {
    if (i > 200) throw new Error('the seed job did not finish')
    await new Promise((r) => setTimeout(r, 50))
  }
  const descriptor = 'workspace: bench\ndagName: poll\ntype: flow\ntasks:\n  - {category: pass, name: start}\n'
  await json(`${url}/flow/bg/manage/descriptor/add_descriptor.json?business_id=bench&feature_name=poll&alias=release`, {
    method: 'POST',
    headers: { ...bearer, 'content-type': 'text/plain' },
    body: descriptor,
  })
  const { execution_id } = await json(`${url}/flow/submit.json?descriptor_id=bench:poll`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{}' })
  const login = await fetch(`${url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: 'admin', password: '73@TuGraph' }) })
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const submitted = await json(`${url}/api/rest_j/v1/entrance/submit`, {
    method: 'POST',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ executionContent: { code: 'select 1', runType: 'sql' }, labels: { engineType: 'jdbc-4', userCreator: 'admin-IDE' } }),
  })
  // every poll is of a finished job, as the native and Rill Flow ones are (a sql job may take seconds to start on a loaded machine)
  for (let i = 0; (await json(`${url}/api/rest_j/v1/entrance/${submitted.data.execID}/status`, { headers: { cookie } })).data.status !== 'Succeed'; i++) {
    if (i > 400) throw new Error('the Linkis seed job did not finish')
    await new Promise((r) => setTimeout(r, 50))
  }
  return [
    { name: 'native GET /api/v1/jobs/:id', path: `/api/v1/jobs/${job.id}`, headers: bearer },
    { name: 'Rill Flow get.json brief', path: `/flow/get.json?execution_id=${encodeURIComponent(execution_id)}&brief=true`, headers: bearer },
    { name: 'Linkis entrance/:id/status', path: `/api/rest_j/v1/entrance/${submitted.data.execID}/status`, headers: { cookie } },
  ]
}

/**
 * Runs each poll and the bare route `rounds` times, alternating, `seconds` each, with
 * CONNECTIONS keep-alive connections. Servers run in their own processes; the load generator in
 * this one. Throws when a poll answers anything but 2xx.
 */
export async function measureRestOverhead(rounds = 3, seconds = 3): Promise<RestOverheadResult> {
  const dir = mkdtempSync(`${tmpdir()}/jobdesk-rest-bench-`)
  const jobdesk = await startServer(['jobdesk', dir])
  const bare = await startServer(['bare'])
  try {
    const polls = await seedPolls(jobdesk.url)
    const samples = new Map<string, { rps: number[]; cpu: number[]; ratio: number[]; cpuRatio: number[] }>()
    const sample = (name: string) => samples.get(name) ?? samples.set(name, { rps: [], cpu: [], ratio: [], cpuRatio: [] }).get(name)!
    for (let round = 0; round < rounds; round++) {
      const base = await load(`${bare.url}/status/1`, {}, seconds, bare.child.pid!)
      sample('bare fastify route').rps.push(base.reqPerSecond)
      sample('bare fastify route').cpu.push(base.cpuUsPerRequest)
      sample('bare fastify route').ratio.push(1)
      sample('bare fastify route').cpuRatio.push(1)
      for (const poll of polls) {
        const r = await load(`${jobdesk.url}${poll.path}`, poll.headers, seconds, jobdesk.child.pid!)
        const s = sample(poll.name)
        s.rps.push(r.reqPerSecond)
        s.cpu.push(r.cpuUsPerRequest)
        s.ratio.push(r.reqPerSecond / base.reqPerSecond)
        s.cpuRatio.push(base.cpuUsPerRequest / r.cpuUsPerRequest)
      }
    }
    return {
      rounds,
      durationSeconds: seconds,
      polls: [...samples].map(([name, s]) => ({
        name,
        reqPerSecond: median(s.rps),
        spread: [Math.min(...s.rps), Math.max(...s.rps)],
        cpuUsPerRequest: median(s.cpu),
        ratioToBare: median(s.ratio),
        cpuRatioToBare: median(s.cpuRatio),
      })),
    }
  } finally {
    jobdesk.child.kill()
    bare.child.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await measureRestOverhead(Number(process.env.ROUNDS ?? 3), Number(process.env.SECONDS ?? 3))
  for (const p of r.polls) {
    console.log(
      `${p.name.padEnd(30)} ${p.reqPerSecond.toFixed(0).padStart(6)} req/s (${p.spread.map((x) => x.toFixed(0)).join('–')}), ` +
        `${(100 * p.ratioToBare).toFixed(0).padStart(3)}% of bare, ${p.cpuUsPerRequest.toFixed(0)} µs CPU/request (${(100 * p.cpuRatioToBare).toFixed(0)}% of bare by CPU)`,
    )
  }
}
