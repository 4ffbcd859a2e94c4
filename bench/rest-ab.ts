// Before/after for the REST polls (#14.2): this tree's JobDesk beside another tree's (a checkout of
// the commit before a change: `git archive <commit> | tar -x -C <dir>`, with node_modules linked),
// each beside the bare fastify route, all three loaded AT THE SAME TIME for each round, so a change
// is compared under the same machine state even on a shared, loaded machine.
//   npx tsx bench/rest-ab.ts <other tree> [rounds=9] [seconds=2]
// Prints per poll the median server CPU per request (µs, with its spread) and the median of each
// round's bare-route CPU per request divided by the poll's ("% of bare by CPU").
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { resolve } from 'node:path'
import autocannon from 'autocannon'
import { seedPolls } from './rest-overhead'
import { cpuSeconds, median, startServer, type Server } from './served-app'

/** Keep-alive connections per server (three servers at once share the load generator). */
const CONNECTIONS = 5
const HERE = resolve(import.meta.dirname, '..')

/** A server of `tree`, with the data folder it was started on (removed at the end). */
async function start(tree: string, kind: 'bare' | 'jobdesk'): Promise<Server & { dir?: string }> {
  const dir = kind === 'jobdesk' ? mkdtempSync(`${tmpdir()}/jobdesk-rest-ab-`) : undefined
  return { ...(await startServer([kind, ...(dir ? [dir] : [])], tree)), dir }
}

function load(url: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  return new Promise((ok, fail) => autocannon({ url, connections: CONNECTIONS, duration: seconds, headers }, (e, r) => (e ? fail(e) : ok(r))))
}

const [other, roundsText = '9', secondsText = '2'] = process.argv.slice(2)
if (!other) throw new Error('usage: npx tsx bench/rest-ab.ts <other tree> [rounds] [seconds]')
const rounds = Number(roundsText)
const seconds = Number(secondsText)
const bare = await start(HERE, 'bare')
const before = await start(resolve(other), 'jobdesk')
const after = await start(HERE, 'jobdesk')
try {
  const [pollsBefore, pollsAfter] = [await seedPolls(before.url), await seedPolls(after.url)]
  const samples = new Map<string, { us: number[]; ratio: number[] }>()
  const sample = (name: string, us: number, ratio: number) => {
    const s = samples.get(name) ?? samples.set(name, { us: [], ratio: [] }).get(name)!
    s.us.push(us)
    s.ratio.push(ratio)
  }
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < pollsAfter.length; i++) {
      const servers = [bare, before, after]
      const cpu0 = servers.map((s) => cpuSeconds(s.child.pid!))
      const results = await Promise.all([
        load(`${bare.url}/status/1`, {}, seconds),
        load(before.url + pollsBefore[i].path, pollsBefore[i].headers, seconds),
        load(after.url + pollsAfter[i].path, pollsAfter[i].headers, seconds),
      ])
      for (const r of results) if (r.non2xx > 0 || r.errors > 0) throw new Error(`${r.non2xx} non-2xx answers, ${r.errors} errors`)
      const us = results.map((r, j) => ((cpuSeconds(servers[j].child.pid!) - cpu0[j]) * 1e6) / r.requests.total)
      sample(`bare fastify route (beside ${pollsAfter[i].name})`, us[0], 1)
      sample(`${pollsAfter[i].name}, before`, us[1], us[0] / us[1])
      sample(`${pollsAfter[i].name}, after`, us[2], us[0] / us[2])
    }
    process.stderr.write(`round ${round + 1} of ${rounds}\n`)
  }
  for (const [name, s] of samples) {
    const pct = (x: number) => `${(100 * x).toFixed(0)}%`
    console.log(`${name.padEnd(62)} ${median(s.us).toFixed(0).padStart(5)} µs CPU/request (${Math.min(...s.us).toFixed(0)}–${Math.max(...s.us).toFixed(0)}), ${pct(median(s.ratio))} of bare by CPU (${pct(Math.min(...s.ratio))}–${pct(Math.max(...s.ratio))})`)
  }
} finally {
  for (const s of [bare, before, after]) {
    s.child.kill()
    if (s.dir) rmSync(s.dir, { recursive: true, force: true })
  }
}
