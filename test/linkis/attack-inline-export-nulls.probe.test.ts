// atk39 (#9 §2): a CSV export of a small set is written in-process, in one turn (exporter.ts: at most
// INLINE_ROWS rows, INLINE_CELLS cells and INLINE_QUERY_BYTES of stored rows), outside the export
// slots, the per-user cap and the rate rule. The bound is on what is stored, not on what is written:
// a NULL is 4 bytes stored, but resultsetToExcel writes it as `nullValue` (up to 100 characters), and
// with quoteRetouchEnable each of them quoted and every `"` in it doubled, then encoded (charset).
// 1,000 rows of 20 NULLs (101 kB stored) with nullValue of 100 `"` write 4 MB of CSV (8 MB in
// utf-16le): in-process at load 9.4, export() took 229-378 ms (119-237 ms of CPU) before its first
// byte. Served (this test, load 8.6-10): 12 downloads (4 at once, 3 rounds) of 4.06 MB (gb18030) and
// 8.12 MB (utf-16le); the slowest probe 1,432 ms; the server logged resultsetToExcel stalls of
// 210-1,345 ms held, own (less the CPU wait) up to 335 ms, 228 ms in another. The measure is the issue's:
// the process lives and every probe answers in under 200 ms.
import { spawn } from 'node:child_process'
import { beforeAll, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { sqlResultPath } from '../support/sql-result'
import { EXPORTS_PER_USER } from '../../electron/services/export/exporter'

const COLUMNS = 20
const ROWS = 1000
/** One account's downloads at once: more are refused by the per-user cap, which now applies (the export runs in a worker). */
const AT_ONCE = EXPORTS_PER_USER
const app = servedProcessSuite()
let path: string
const call = (p: string, init: RequestInit = {}) => fetch(`${app.url}${p}`, { ...init, headers: { authorization: `Bearer ${app.token}`, 'content-type': 'application/json', ...init.headers } })

beforeAll(async () => {
  const nulls = Array.from({ length: COLUMNS }, (_, i) => `null as c${i}`).join(', ')
  const code = `with recursive n(i) as (select 1 union all select i + 1 from n where i < ${ROWS}) select ${nulls} from n`
  path = await sqlResultPath(call, code)
}, 300_000)

/** One download with curl in its own process (this process only probes); resolves with the bytes downloaded. */
function download(charset: string): Promise<number> {
  const query = `outputFileType=csv&charset=${charset}&quoteRetouchEnable=true&nullValue=${encodeURIComponent('"'.repeat(100))}`
  const url = `${app.url}/api/rest_j/v1/filesystem/resultsetToExcel?path=${encodeURIComponent(path)}&${query}`
  const curl = spawn('curl', ['-s', '-o', '/dev/null', '-w', '%{size_download}', '-H', `authorization: Bearer ${app.token}`, url], { stdio: ['ignore', 'pipe', 'ignore'] })
  let out = ''
  curl.stdout.on('data', (d: Buffer) => (out += d.toString()))
  return new Promise((ok) => curl.once('exit', () => ok(Number(out))))
}

it(`${AT_ONCE} CSV downloads of ${ROWS} rows of ${COLUMNS} NULLs written as 100 quotes keep the status probe under 200 ms`, async () => {
  const { result, probe } = await probeWhile(app, async () => {
    const sizes: number[] = []
    for (let round = 0; round < 3; round++) sizes.push(...(await Promise.all(Array.from({ length: AT_ONCE }, (_, i) => download(i % 2 ? 'utf-16le' : 'gb18030')))))
    return sizes
  })
  console.log(`downloads of ${result.join(', ')} bytes; probes ${probe.count}, slowest ${Math.round(probe.maxMs)} ms`)
  expect(Math.min(...result)).toBeGreaterThan(4_000_000) // 20,000 cells of 202 characters, and line ends
  expect(app.child.exitCode).toBe(null)
  expectResponsive(probe)
}, 300_000)
