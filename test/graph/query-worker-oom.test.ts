// The last line of defence behind the value budget (#9 §2): a query worker that runs out of heap
// anyway. The statement must answer query_too_large ("ran out of memory"), the worker be replaced,
// the next statement answer, and this process (the server's main thread) live on. The budget keeps
// every statement within a 1 GB worker heap (test/cypher/value-budget.test.ts); here the worker gets
// 64 MB so that a statement the budget allows (ten rows of a million-element list, ~320 MB of heap
// while they are encoded) surely runs it out (at 128 MB one clean-clone run answered it whole).
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { fixtureGraph } from '../cypher/fixture'
import { tempDir } from '../support/temp-store'

vi.setConfig({ testTimeout: 300_000 }) // query workers start from TypeScript sources here: slow on a busy machine

let dir = ''
let host: GraphHost
beforeAll(() => {
  dir = tempDir()
  fixtureGraph(dir, 'g').close()
  host = new GraphHost(dir, { queryHeapMb: 64 })
})
afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

const admin = { username: 'admin', isAdmin: true }
const cypher = (script: string) => host.runCypher({ graph: 'g', script, timeoutSeconds: 120, actor: admin })

it('answers query_too_large when a query worker runs out of heap, replaces the worker and answers the next statement', async () => {
  expect(await cypher('RETURN 1 AS x')).toMatchObject({ result: { rows: [[1]] } })
  const started = Date.now()
  await expect(cypher('WITH range(1, 1000000) AS l UNWIND range(1, 10) AS i RETURN i, l')).rejects.toMatchObject({ code: 'query_too_large', message: expect.stringMatching(/ran out of memory/) })
  console.log(`out of memory answered after ${Date.now() - started} ms`)
  expect(await cypher('MATCH (n:person) RETURN count(n) AS n')).toMatchObject({ result: { rows: [[4]] } })
  expect(host.queryLoad).toEqual({ waiting: 0, running: 0 })
})
