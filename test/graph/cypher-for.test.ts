// One check of write rights and one statement timeout before every Cypher run (graph-rights.ts
// cypherFor, #9 code health): graphs.cypher, Cypher script jobs and graph workflow components each
// had their own copy, and script jobs ran their statements with no timeout at all.
import { afterEach, describe, expect, it } from 'vitest'
import type { TaskContext } from '../../electron/engine/executor'
import { createCypherExecutor } from '../../electron/executors/cypher'
import { createGraphRights, cypherFor, QUERY_TIMEOUT_DEFAULT_S, QUERY_TIMEOUT_MAX_S } from '../../electron/graph/graph-rights'
import type { CypherAnswer, CypherQuery } from '../../electron/graph/worker/protocol'
import { tempStore } from '../support/temp-store'

const rights = createGraphRights({ request: (async () => ({ owner: 'ann' })) as never })
let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('cypherFor', () => {
  it('lets the owner and admins write, marks anyone else read-only with the reason, and applies the timeout', async () => {
    expect(await cypherFor(rights, { graph: '', script: 'RETURN 1', actor: { username: 'ann', isAdmin: false } })).toEqual({
      graph: 'default',
      script: 'RETURN 1',
      actor: { username: 'ann', isAdmin: false },
      timeoutSeconds: QUERY_TIMEOUT_DEFAULT_S,
    })
    expect((await cypherFor(rights, { graph: 'g', script: 'x', actor: { username: 'root', isAdmin: true }, timeoutSeconds: 1e9 })).timeoutSeconds).toBe(QUERY_TIMEOUT_MAX_S)
    expect((await cypherFor(rights, { graph: 'g', script: 'x', actor: { username: 'bob', isAdmin: false } })).readOnly).toMatch(/^Graph \[g\] belongs to ann/)
    await expect(cypherFor(rights, { graph: 'g', script: 'x', actor: { username: 'ann', isAdmin: false }, timeoutSeconds: -1 })).rejects.toMatchObject({ code: 'invalid_request' })
  })

  it('is what a Cypher script job runs each statement with: its user as the store knows them, the default timeout', async () => {
    const t = tempStore()
    cleanup = t.cleanup
    const jobId = t.store.jobs.create({ uuid: 'uuid-cy', kind: 'dag', name: 'cy', submitter: 'bob' }, [{ name: 'main', executor: 'cypher' }])
    const task = t.store.jobs.task(jobId, 'main')!
    const asked: CypherQuery[] = []
    const host = {
      runCypher: async (q: CypherQuery): Promise<CypherAnswer> => {
        asked.push(q)
        return { result: { header: [], rows: [], elapsed: 0 } } as unknown as CypherAnswer
      },
    }
    const executor = createCypherExecutor({ host: host as never, results: t.store.results, rights, userOf: t.store.users.caller })
    const ctx = { jobId, jobUuid: 'uuid-cy', submitter: 'bob', taskId: task.id, taskName: 'main', attempt: 1, spec: { code: 'RETURN 1; RETURN 2', graph: 'g', user: 'bob' }, input: null, signal: new AbortController().signal, log: () => undefined, setRuntime: () => undefined } as TaskContext
    await executor.run(ctx)
    expect(asked.map((q) => q.script.trim())).toEqual(['RETURN 1', 'RETURN 2'])
    for (const q of asked) expect(q).toMatchObject({ graph: 'g', actor: { username: 'bob', isAdmin: false }, timeoutSeconds: QUERY_TIMEOUT_DEFAULT_S, readOnly: expect.stringMatching(/belongs to ann/) })
  })
})
