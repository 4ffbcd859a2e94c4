// A big resultsetToExcel (xlsx and CSV) streams from a worker thread: the server keeps answering a
// status probe in under 200 ms while it runs, memory stays bounded, and the answer states its row
// cap (#9 §2). EXPORT_PROBE_ROWS sets the size (the case is 1,000,000; the default keeps the
// suite quick on a shared machine).
import { spawn } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { sqlResultPath } from '../support/sql-result'

const ROWS = Number(process.env.EXPORT_PROBE_ROWS ?? 200_000)
const app = servedProcessSuite()
let path: string
const call = (p: string, init: RequestInit = {}) => fetch(`${app.url}${p}`, { ...init, headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json', ...init.headers } })

beforeAll(async () => {
  const code = `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS}) select i, 'name ' || i as name, i * 0.5 as half, 'a "quoted", longer text value ' || i as note from n`
  path = await sqlResultPath(call, code)
}, 300_000)

const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${app.child.pid}/status`, 'utf8'))![1]) * 1024

/**
 * Downloads with curl in its own process, so this process does nothing but probe (a busy test
 * process would delay its own probes); samples the server's RSS meanwhile.
 */
async function download(query: string): Promise<{ bytes: number; headers: Record<string, string>; peakRss: number; ms: number }> {
  const started = performance.now()
  const out = join(app.dir, `download-${Math.random()}`)
  let peakRss = rss()
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rss())), 250)
  const url = `${app.url}/api/rest_j/v1/filesystem/resultsetToExcel?path=${encodeURIComponent(path)}&${query}`
  const curl = spawn('curl', ['-s', '-D', `${out}.headers`, '-o', out, '-H', `authorization: Bearer ${app.token}`, url], { stdio: 'ignore' })
  await new Promise((ok) => curl.once('exit', ok))
  clearInterval(sampler)
  const lines = readFileSync(`${out}.headers`, 'utf8').split('\r\n')
  expect(lines[0]).toMatch(/ 200 /)
  const headers = Object.fromEntries(lines.slice(1).filter(Boolean).map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { bytes: statSync(out).size, headers, peakRss, ms: performance.now() - started }
}

describe(`resultsetToExcel of ${ROWS.toLocaleString('en')} rows`, () => {
  it('xlsx and CSV at once: the status probe answers in under 200 ms throughout, and memory stays bounded', async () => {
    const before = rss()
    const { result, probe } = await probeWhile(app, () => Promise.all([download('outputFileType=xlsx'), download('outputFileType=csv&charset=gbk')]))
    const [xlsx, csv] = result
    console.log(
      `export ${ROWS} rows: xlsx ${xlsx.bytes} B in ${Math.round(xlsx.ms)} ms, csv ${csv.bytes} B in ${Math.round(csv.ms)} ms; probes ${probe.count}, slowest ${Math.round(probe.maxMs)} ms; RSS ${before >> 20} → peak ${Math.max(xlsx.peakRss, csv.peakRss) >> 20} MiB`,
    )
    expect(probe.count).toBeGreaterThan(5)
    expectResponsive(probe)
    expect(xlsx.headers['x-jobdesk-export-rows']).toBe(String(ROWS))
    expect(xlsx.headers['x-jobdesk-export-row-cap']).toBe('1000000')
    expect(xlsx.headers['x-jobdesk-export-truncated']).toBe('false')
    expect(xlsx.bytes).toBeGreaterThan(ROWS * 10)
    expect(csv.bytes).toBeGreaterThan(ROWS * 40)
    expect(Math.max(xlsx.peakRss, csv.peakRss) - before).toBeLessThan(400 * 1024 * 1024)
  }, 600_000)

  it('limit caps the rows, and the answer says so', async () => {
    const { headers, bytes } = await download('outputFileType=csv&limit=1000')
    expect([headers['x-jobdesk-export-rows'], headers['x-jobdesk-export-row-cap'], headers['x-jobdesk-export-truncated']]).toEqual(['1000', '1000', 'true'])
    expect(bytes).toBeLessThan(100_000)
  })
})
