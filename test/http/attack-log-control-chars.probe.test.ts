// Attack (#9 §2, atk10): a log of control characters. A shell job printed NUL bytes
// (`head -c … /dev/zero | fold -w 200`); the store kept its head and tail as it should, but every
// NUL is answered JSON-escaped as `\u0000`, six bytes for one. Over real HTTP against
// `node out/main/serve.js` (300 MB printed), Linkis filesystem/openLog answered 22,247,711 bytes
// although openLog is capped at about 2 MB, native logs/text 24,623,077 bytes, and the health probe
// every 50 ms waited 688 ms for one openLog and 1,679 ms for two openLog and two logs/text at once
// (load average 13.8-14.3 on the shared 2-core machine; idle probe max there 240-340 ms). The byte
// cap counts the log's characters, not the bytes sent. This test FAILS until openLog's answer keeps to
// its cap and these reads keep the probe under 200 ms.
import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { linkisClient } from '../linkis/support'
import { expectResponsive, probeWhile, runShellJob, startServedProcess, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
let app: ServedProcess
let jobId = 0
const auth = () => ({ authorization: `Bearer ${app.token}` })

/**
 * GETs the answers at once from a node process of its own and resolves with their statuses. Read on
 * the test's event loop, the ~14.5 MB of answers held that loop 300–670 ms (measured with
 * monitorEventLoopDelay at load 9–12), and the probe, sent from the same loop, measured that rather
 * than the server (which answered it within 38–82 ms meanwhile): the measure is the server's.
 */
function readElsewhere(reads: { url: string; headers: Record<string, string> }[]): Promise<number[]> {
  const script = `const reads = JSON.parse(process.env.READS)
const statuses = await Promise.all(reads.map(async ({ url, headers }) => { const r = await fetch(url, { headers }); await r.arrayBuffer(); return r.status }))
process.stdout.write(JSON.stringify(statuses))`
  return new Promise((ok, fail) =>
    execFile(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, READS: JSON.stringify(reads) } }, (err, stdout) => (err ? fail(err) : ok(JSON.parse(stdout) as number[]))),
  )
}

beforeAll(async () => {
  app = await startServedProcess(dir)
  jobId = await runShellJob(app, 'head -c 60000000 /dev/zero | fold -w 200')
}, 360_000)
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})

describe('attack: reading a capped log made of NUL bytes', () => {
  it('Linkis filesystem/openLog answers within its ~2 MB cap (22 MB answered)', async () => {
    const linkis = linkisClient(app.url)
    await linkis.login('admin', '73@TuGraph')
    const path = encodeURIComponent(`file:///jobdesk/admin/log/${jobId}.log`)
    const res = await fetch(`${app.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, { headers: { cookie: linkis.cookie } })
    expect(res.status).toBe(200)
    expect((await res.arrayBuffer()).byteLength).toBeLessThan(3 * 1024 * 1024)
  }, 180_000)

  it('two openLog and two logs/text at once leave the probe answering (1,679 ms)', async () => {
    const linkis = linkisClient(app.url)
    await linkis.login('admin', '73@TuGraph')
    const path = encodeURIComponent(`file:///jobdesk/admin/log/${jobId}.log`)
    const { result, probe } = await probeWhile(app, () =>
      readElsewhere([
        { url: `${app.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, headers: { cookie: linkis.cookie } },
        { url: `${app.url}/api/rest_j/v1/filesystem/openLog?path=${path}`, headers: { cookie: linkis.cookie } },
        { url: `${app.url}/api/v1/jobs/${jobId}/logs/text`, headers: auth() },
        { url: `${app.url}/api/v1/jobs/${jobId}/logs/text`, headers: auth() },
      ]),
    )
    expect(result).toEqual([200, 200, 200, 200])
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)
  }, 300_000)
})
