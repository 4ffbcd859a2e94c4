// A graph workflow's query component runs within the same statement timeout as the Query tab and
// graphs.cypher (QUERY_TIMEOUT_DEFAULT_S): without one, an endless MATCH held a query worker, one of
// three for every user, until someone cancelled the job (#15, #9).
import { afterEach, describe, expect, it } from 'vitest'
import { QUERY_TIMEOUT_DEFAULT_S } from '../../../electron/graph/graph.service'
import type { AlgorithmHost } from '../../../electron/graph/algorithms/algorithm-host'
import { createComponentExecutor, type ComponentTaskSpec } from '../../../electron/graph/workflows/component.executor'
import type { CypherAnswer, CypherQuery } from '../../../electron/graph/worker/protocol'
import { tempStore } from '../../support/temp-store'
import { componentTaskContext } from './task-context'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('query component', () => {
  it('runs its statement with the default statement timeout', async () => {
    const t = tempStore()
    cleanup = t.cleanup
    const jobId = t.store.jobs.create({ uuid: 'uuid-timeout', kind: 'dag', name: 'wf', submitter: 'admin' }, [{ name: 'query_1', executor: 'graph-component' }])
    const asked: CypherQuery[] = []
    // the graph worker's side of the boundary: what the executor asks it to run
    const graphs = {
      request: async () => ({ owner: 'admin' }),
      runCypher: async (q: CypherQuery): Promise<CypherAnswer> => {
        asked.push(q)
        return { result: { header: [{ name: 'n', type: 0 }], rows: [[1]], elapsed: 0 } } as unknown as CypherAnswer
      },
    }
    const executor = createComponentExecutor({ dataDir: t.dir, store: t.store, graphs: graphs as never, algorithms: {} as AlgorithmHost })
    const spec: ComponentTaskSpec = {
      component: { id: 'query_1', kind: 'query', graph: 'g', query: 'MATCH (n) RETURN count(n)', outputs: ['output0'] },
      user: 'admin',
      input: {},
      wires: {},
    }
    const ctx = componentTaskContext(t.store, jobId, spec)
    await executor.run(ctx)
    expect(asked).toHaveLength(1)
    expect(asked[0].timeoutSeconds).toBe(QUERY_TIMEOUT_DEFAULT_S)
  })
})
