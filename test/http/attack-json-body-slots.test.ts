// Attack (#9 §2, atk12): every JSON body over 64 kB (INLINE_JSON_CHARS), in every dialect (native
// json-body.ts, Rill Flow, GES, TuGraph, descriptors), is parsed in a text worker
// (services/json-parser.ts parseClientJsonOffThread → text-workers.ts): WORKER_THREADS at once (1 on 2
// cores) and 8 waiting, shared by all users, with no share per user. A body of many keys is slow to
// parse and rebuild (~0.4-1 s for 190,000 keys, 3 MB; the key cap is 200,000), and it costs the parse
// whether or not the route then takes it: bob, granted nothing, posts such bodies to /api/v1/jobs in 8
// loops (each refused 400 after the parse, so no job and no quota is involved). Measured over real
// HTTP (node out/main/serve.js, 2 loaded cores): admin's job submit with 100 kB of SQL (~50 ms
// otherwise) took 6.7-16.1 s, five times in a row; with a ninth loop the queue is full and the answer
// is 503 too_many_json_bodies. Function tasks' long answers wait in the same queue (ANSWER_WAIT_MS, then
// the task fails).
import { describe, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'

const suite = appSuite('bob')

describe("attack: one user's bodies of many keys hold everyone's long JSON bodies", () => {
  it("admin's submit of 100 kB of SQL answers while bob's bodies are read", async () => {
    const { t, users } = suite
    const keys: Record<string, number> = {}
    for (let i = 0; i < 190_000; i++) keys[`k${i}`] = i
    const big = JSON.stringify({ type: 'script', language: 'sql', code: 'select 1', variables: keys })
    let stop = false
    const statuses: number[] = []
    const loop = async () => {
      while (!stop) {
        const r = await fetch(`${t.url}/api/v1/jobs`, { method: 'POST', headers: { authorization: `Bearer ${users.bob.token}`, 'content-type': 'application/json' }, body: big })
        await r.arrayBuffer()
        statuses.push(r.status)
      }
    }
    const loops = Array.from({ length: 8 }, loop)
    try {
      await new Promise((r) => setTimeout(r, 2000))
      const started = performance.now()
      const res = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: `-- ${'x'.repeat(100_000)}\nselect 2`, timeoutSeconds: 60 })
      const ms = performance.now() - started
      expect(res.status, JSON.stringify(res.body).slice(0, 300)).toBe(201)
      // before: 6.7-16.1 s over real HTTP, 11.6 s here, behind bob's bodies in the one queue
      expect(ms).toBeLessThan(3000)
    } finally {
      stop = true
      await Promise.all(loops)
    }
    expect(statuses.length).toBeGreaterThan(0)
  }, 120_000)
})
