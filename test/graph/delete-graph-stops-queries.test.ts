// #9 leftover (attack): a read outlived its deleted graph. An endless read on graph g2 kept its query
// worker busy until its own timeout after the admin's CALL dbms.graph.deleteGraph('g2') (or the native
// drop) had succeeded. Deleting a graph now stops the statements running on it at once: they answer
// graph_not_found saying the graph was deleted, and their workers are free again.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { GraphHost } from '../../electron/graph/worker/graph-host'
import { fixtureGraph } from '../cypher/fixture'
import { tempDir } from '../support/temp-store'
import { until } from '../support/until'
import { ENDLESS_CYPHER } from '../support/endless-cypher'

// query workers start from TypeScript sources here: on a busy machine that takes many seconds
vi.setConfig({ testTimeout: 180_000 })

let dir = ''
let host: GraphHost
beforeAll(async () => {
  dir = tempDir()
  for (const g of ['g', 'g2', 'g3']) fixtureGraph(dir, g).close()
  host = new GraphHost(dir)
  await host.runCypher({ graph: 'g', script: 'RETURN 0', actor: admin }) // a warm worker: the parser's load is not what is timed
})
afterAll(async () => {
  await host?.close()
  rmSync(dir, { recursive: true, force: true })
})

const admin = { username: 'admin', isAdmin: true }

/** Starts `user`'s endless read on `graph` (its timeout 40 s, as the attacker's; one user per read: a user never holds the last worker) and waits until it runs; the read in an object (an async function would adopt the promise). */
async function endlessRead(graph: string, user: string): Promise<{ read: Promise<unknown> }> {
  const busyBefore = host.queryWorkers.busy
  const read = host.runCypher({ graph, script: ENDLESS_CYPHER, timeoutSeconds: 40, actor: { username: user, isAdmin: false } })
  read.catch(() => undefined) // awaited below; not an unhandled rejection meanwhile
  await until(() => host.queryWorkers.busy, (n) => n > busyBefore, `the endless read on ${graph} running`)
  return { read }
}

/** How `read` ended and how long after now: within `limitMs`, or 'still running'. */
async function endOf(read: Promise<unknown>, limitMs: number) {
  const started = Date.now()
  const end = await Promise.race([read.then(() => 'answered', (e: unknown) => e), new Promise((r) => setTimeout(() => r('still running'), limitMs))])
  return { end, ms: Date.now() - started }
}

it("stops a read on a graph deleted by CALL dbms.graph.deleteGraph, with an error that says so, and frees its worker", async () => {
  const { read } = await endlessRead('g2', 'bob')
  await host.runCypher({ graph: 'g', script: "CALL dbms.graph.deleteGraph('g2')", actor: admin })
  const { end, ms } = await endOf(read, 2000)
  console.log(`the read on g2 after its graph was deleted (Cypher): ${ms} ms, ${end instanceof Error ? `${(end as { code?: string }).code}: ${end.message}` : end}`)
  expect(end).toMatchObject({ code: 'graph_not_found', message: 'Graph [g2] was deleted while this query ran.' })
  await until(() => host.queryWorkers.busy, (n) => n === 0, 'the read’s worker free again', 2000)
})

it('stops a read on a graph dropped natively, and leaves a read on another graph running', async () => {
  const { read: other } = await endlessRead('g', 'carol')
  const { read } = await endlessRead('g3', 'dave')
  await host.request('graphs.drop', { graph: 'g3' }, { user: 'admin' })
  const { end, ms } = await endOf(read, 2000)
  console.log(`the read on g3 after its graph was dropped (native): ${ms} ms, ${end instanceof Error ? end.message : end}`)
  expect(end).toMatchObject({ code: 'graph_not_found', message: 'Graph [g3] was deleted while this query ran.' })
  expect((await endOf(other, 200)).end).toBe('still running')
  await until(() => host.queryWorkers.busy, (n) => n === 1, 'only the read on g busy', 2000)
  await host.close() // ends the read on g too
})
