// Attack (#9 §2, re-verification): a Rill Flow context just under the 16 MB body limit. Any user may
// submit one; found over real HTTP against `npm run serve`: the submit held the main thread ~10 s,
// and from then on every read of the job — get.json, the native job, even the jobs LIST (which the
// Jobs page polls, for admins with everyone's jobs) — held it 8-12 s each time: the class of the
// issue's "stored as a 230 MB row and froze the server on every read". Submits now take at most
// 4 MB (electron/http/body-limits.ts): the 15 MB context is refused before it is parsed (413), and the
// largest context a client can still send is stored and read back with the probe answering.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServedProcess, underProbe, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'
import { postFromOwnProcess } from './support/own-process-client'
import { rillClient } from './support/rill-client'

const dir = tempDir()
let app: ServedProcess
let rill: ReturnType<typeof rillClient>
let executionId = ''
beforeAll(async () => {
  app = await startServedProcess(dir)
  rill = rillClient(app.url)
  expect((await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', 'workspace: attack\ndagName: big\ntype: flow\ntasks:\n  - {category: pass, name: a}\n', 'text/plain')).status).toBe(200)
})
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})


describe('attack: a 15 MB Rill Flow context refused', () => {
  it('refuses the 15 MB context with 413 naming the limit, the probe answering (it held ~10 s)', async () => {
    // the 15 MB body is built and sent by a process of its own: built on the test's event loop, which
    // also runs the probe client, it held the probe 460-1200 ms while the server itself stalled < 80 ms
    // (measured in the served process); the measure is the server's
    const res = await underProbe(app, () => postFromOwnProcess(`${app.url}/flow/submit.json?descriptor_id=attack:big`, '{"s": "x".repeat(15_000_000)}'))
    expect(res.status).toBe(413)
    expect(res.body).toContain('takes at most 4 MiB')
  }, 120_000)
})

describe('attack: the largest Rill Flow context accepted, read back', () => {
  // the submit of this context under the probe (still 380-1200 ms on this machine: the 4 MB body's
  // parse, the 8 MB written as input and context, then its task's commit) stays on branch attack-open
  beforeAll(async () => {
    executionId = await rill.submit('attack:big', { s: 'x'.repeat(4 * 1024 * 1024 - 1024) }) // kept for the reads below
    expect(executionId).toMatch(/^attack:big_c_/)
  }, 120_000)

  it('reading the jobs list afterwards leaves the probe answering (held ~9 s on every read)', async () => {
    await new Promise((r) => setTimeout(r, 2000)) // the one-task execution has ended
    await underProbe(app, async () => {
      const res = await fetch(`${app.url}/api/v1/jobs?limit=5`, { headers: { authorization: `Bearer ${app.token}` } })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    })
  }, 120_000)

  it('reading the execution (get.json, brief) leaves the probe answering (held ~12 s on every read)', async () => {
    await underProbe(app, async () => {
      const ret = await rill.get(executionId, true)
      expect(ret.dag_status).toBe('SUCCEED')
    })
  }, 120_000)
})
