// Bodies of 14 MB (under the old global 16 MB limit) sent to submit routes while a status probe
// measures the server (#9 review): each used to be read whole and parsed on the main thread (a depth
// scan and JSON.parse of 14 MB), stalling every other request. A submit route now takes at most
// BODY_LIMITS.content: the bodies are refused from their Content-Length, their bytes read and
// thrown away (linger.ts), and the probe keeps answering in under 200 ms.
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'

const app = servedProcessSuite({ timeoutMs: 120_000 })

const MB14 = 14 * 1024 * 1024

/**
 * Three rounds of four curl POSTs side by side, in one shell process of its own (the probe's fetch
 * keeps this process's event loop and connections to itself; one spawn, not twelve), without
 * `Expect: 100-continue`: the whole body is sent whatever the server answers first. Each answer's
 * status and text go to a file of their own; resolves with them.
 */
function sendRounds(posts: { path: string; file: string; auth: boolean }[]): Promise<{ status: number; text: string }[]> {
  const one = (p: (typeof posts)[number], i: number, round: number) =>
    `curl -s -H 'Expect:' -H 'content-type: application/json' ${p.auth ? `-H 'authorization: Bearer ${app.token}'` : ''} --data-binary @${p.file} -w '\\n%{http_code}' -o ${app.dir}/answer-${round}-${i} '${app.url}${p.path}' > ${app.dir}/status-${round}-${i}`
  const rounds = [0, 1, 2].map((round) => `${posts.map((p, i) => `${one(p, i, round)} &`).join(' ')} wait`).join('; ')
  return new Promise((resolve, reject) => {
    execFile('bash', ['-c', rounds], (error) => {
      if (error) return reject(error)
      resolve([0, 1, 2].flatMap((round) => posts.map((_, i) => ({ status: Number(readFileSync(`${app.dir}/status-${round}-${i}`, 'utf8').trim()), text: readFileSync(`${app.dir}/answer-${round}-${i}`, 'utf8') }))))
    })
  })
}

it('a probe answers in under 200 ms while 14 MB bodies hit submit routes, each refused with 413 naming the limit', async () => {
  // valid JSON, the costliest kind to parse: a script, and a Rill Flow context of many small values
  const script = join(app.dir, 'script.json')
  writeFileSync(script, JSON.stringify({ type: 'script', language: 'shell', code: 'x'.repeat(MB14) }))
  const context = join(app.dir, 'context.json')
  writeFileSync(context, `{"items":[${'1,'.repeat(MB14 / 2 - 8)}1]}`)
  const { result, probe } = await probeWhile(app, async () => {
    const jobs = { path: '/api/v1/jobs', file: script, auth: true }
    const rill = { path: '/flow/submit.json?descriptor_id=a:b', file: context, auth: false }
    return sendRounds([jobs, jobs, rill, rill])
  }, 20) // a probe every 20 ms
  for (const a of result) {
    expect(a.status, a.text.slice(0, 200)).toBe(413)
    expect(a.text).toMatch(/takes at most 4 MiB/)
  }
  console.log(`12 bodies of 14 MB to submit routes: probes ${probe.count}, p99 ${probe.p99Ms.toFixed(0)} ms, max ${probe.maxMs.toFixed(0)} ms`)
  expect(probe.count).toBeGreaterThanOrEqual(5) // refused from Content-Length, twelve bodies can take half a second: a few probes show nothing stalled
  expectResponsive(probe)
  expect((await fetch(`${app.url}/api/v1/health`, { headers: { authorization: `Bearer ${app.token}` } })).status).toBe(200)
}, 180_000)
