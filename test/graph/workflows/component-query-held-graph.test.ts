// A graph workflow's query component (what an Explorer workflow run, and a native one, runs) on a graph
// an import holds: a statement that cannot be planned fails its task with its own error, as on a free
// graph, and one that plans is refused graph_busy naming the import without running (GraphHost plans it
// first). Before, the component's task failed "Graph [held] has an import queued or running (job 12)…"
// for `CREATE (:person {id: 1, name: nosuch('x')})`, whose function does not exist. A real GraphHost, its
// graph held by an unfinished import job (the job store's, GraphHost's option).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AlgorithmHost } from '../../../electron/graph/algorithms/algorithm-host'
import { createGraphFile, graphFile } from '../../../electron/graph/store/catalog'
import { GraphDb } from '../../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../../electron/graph/store/schema'
import { GraphHost } from '../../../electron/graph/worker/graph-host'
import { createComponentExecutor, type ComponentTaskSpec } from '../../../electron/graph/workflows/component.executor'
import { tempStore } from '../../support/temp-store'
import { componentTaskContext } from './task-context'
import { PERSON_SCHEMA } from '../support'

// query workers load slowly on a busy machine
vi.setConfig({ testTimeout: 180_000 })

let t: ReturnType<typeof tempStore>
let host: GraphHost
beforeAll(() => {
  t = tempStore()
  createGraphFile(t.dir, 'held')
  const g = GraphDb.open('held', graphFile(t.dir, 'held'))
  g.addLabels(parseSchemaDescription(PERSON_SCHEMA))
  g.close()
  host = new GraphHost(t.dir, { unfinishedImportGraphs: () => [{ graph: 'held', jobId: 12 }] })
})
afterAll(async () => {
  await host?.close()
  t?.cleanup()
})

/** Runs a one-query workflow task on graph `held` as the admin; resolves with its error's message, or null. */
async function runQuery(query: string, name: string): Promise<string | null> {
  const jobId = t.store.jobs.create({ uuid: `uuid-${name}`, kind: 'dag', name: 'wf', submitter: 'admin' }, [{ name: 'query_1', executor: 'graph-component' }])
  const executor = createComponentExecutor({ dataDir: t.dir, store: t.store, graphs: host, algorithms: {} as AlgorithmHost })
  const spec: ComponentTaskSpec = { component: { id: 'query_1', kind: 'query', graph: 'held', query, outputs: [] }, user: 'admin', input: {}, wires: {} }
  const ctx = componentTaskContext(t.store, jobId, spec)
  return executor.run(ctx).then(
    () => null,
    (e: Error) => e.message,
  )
}

describe('query component on a graph an import holds', () => {
  it('fails with the statement’s own error before the import’s refusal', async () => {
    expect(await runQuery("CREATE (:person {id: 1, name: nosuch('x')})", 'unknown-function')).toBe("query_1: Unknown function 'nosuch'")
    expect(await runQuery("CREATE (:person {id: 1, name: 'x'})", 'plans')).toBe('query_1: Graph [held] has an import queued or running (job 12); cancel it or wait before changing its labels, indexes or data')
  })
})
