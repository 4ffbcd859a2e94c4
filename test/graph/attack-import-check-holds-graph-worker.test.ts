// Attack (#9 §2, atk12): every user's graph requests (the graph list, a graph's schema and counts, schema
// changes, previews, import checks, vertex reads: graph-host.ts GraphHost.request) go to ONE request
// worker, in arrival order, with no share per user, no bound on the queue, no timeout and no stop on a
// hang-up. An import check (POST /api/v1/imports/check, graph.service.ts checkImport) parses the first
// MB of each of up to 50 files there (inspect/import-sample.ts SAMPLE_BYTES, MAX_SAMPLED_FILES), and it
// does so even for a user who may not import into the graph at all: bob, granted nothing, checks an
// import into admin's `default` (answered not_graph_owner, after the sample). Measured over real HTTP
// (node out/main/serve.js, 2 loaded cores): one check of 50 entries naming bob's own 1.1 MB CSV took
// 6.5 s; with 4 of them sent at once, admin's GET /api/v1/graphs took 25.4 s and GET
// /api/v1/graphs/default 5.4 s (bob's took 7 to 32 s); 4 checks that bob hung up on after 0.5 s still
// held admin's graph list 8.0 s. A client that keeps sending them keeps every user's Graph and Imports
// pages waiting, without bound. The health probe stayed fast (the main thread is free): it is the graph
// side that freezes.
import { describe, expect, it } from 'vitest'
import { appSuite } from '../support/app-suite'
import { quotedPersonCsv } from './support'

const suite = appSuite('bob')

const csv = quotedPersonCsv

describe("attack: import checks of a user who may not import hold everyone's graph requests", () => {
  it("admin's graph list answers while bob's checks run", async () => {
    const { t, users } = suite
    const bob = users.bob
    expect((await t.call('POST', '/api/v1/graphs/default/schema', { schema: [{ label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }] }] })).status).toBe(200)
    const up = await fetch(`${t.url}/api/v1/files/upload?path=p.csv&offset=0&replace=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/octet-stream' },
      body: csv(1_100_000),
    })
    expect(up.status).toBe(200)
    const files = Array.from({ length: 50 }, () => ({ path: 'p.csv', format: 'CSV', label: 'person', columns: ['id', 'name'], header: 1 }))
    const checks = Array.from({ length: 4 }, () => bob.call('POST', '/api/v1/imports/check', { graph: 'default', continueOnError: true, files }))
    await new Promise((r) => setTimeout(r, 1500))
    const started = performance.now()
    const list = await t.call('GET', '/api/v1/graphs')
    const ms = performance.now() - started
    const answers = await Promise.all(checks)
    // bob may not import into admin's graph, and is told so: the sample ran anyway
    expect(answers[0].body.problems).toContainEqual(expect.objectContaining({ code: 'not_graph_owner' }))
    expect(list.status).toBe(200)
    // before: 17.7 s here, 25.4 s over real HTTP (4 checks of 6.5 s each, one after another, ahead of it)
    expect(ms).toBeLessThan(2000)
  }, 240_000)
})
