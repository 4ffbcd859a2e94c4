// The Cypher statements the GUI and the native API run (graphs.cypher), by the caller's queryId,
// so that one can be stopped while it runs (graphs.cypherCancel): IPC has no hang-up to cancel on,
// and an HTTP client may want to stop a query without dropping its connection.
import { randomUUID } from 'node:crypto'
import type { CypherRunRequest, CypherRunResult } from '../../shared/graph-api'
import { graphError } from '../graph/errors'
import type { GraphService } from '../graph/graph.service'
import type { Actor } from './access'

const QUERY_ID = /^[A-Za-z0-9_-]{1,64}$/

export type CypherRuns = ReturnType<typeof createCypherRuns>

/** Runs and stops Cypher statements by queryId; a run is stopped by whoever started it or an admin. */
export function createCypherRuns(graph: GraphService) {
  const running = new Map<string, { owner: string; stop: AbortController }>()
  return {
    /**
     * Runs `req.script` on `req.graph` and answers its header and rows. Throws invalid_request
     * (queryId, parameters), query_id_taken, and every error of GraphService.cypher.
     */
    async run(req: CypherRunRequest, actor: Actor): Promise<CypherRunResult> {
      if (typeof req.graph !== 'string') throw graphError('invalid_request', 'graph must be a graph name', { field: 'graph' })
      if (typeof req.script !== 'string' || !req.script.trim()) throw graphError('invalid_request', 'script must be a Cypher statement', { field: 'script' })
      const queryId = req.queryId ?? randomUUID()
      if (typeof queryId !== 'string' || !QUERY_ID.test(queryId)) throw graphError('invalid_request', 'queryId must be 1 to 64 letters, digits, - or _', { field: 'queryId' })
      if (req.parameters !== undefined && (typeof req.parameters !== 'object' || req.parameters === null || Array.isArray(req.parameters))) {
        throw graphError('invalid_request', 'parameters must be a JSON object', { field: 'parameters' })
      }
      if (running.has(queryId)) throw graphError('query_id_taken', `a query named ${queryId} is still running`, { field: 'queryId' })
      const stop = new AbortController()
      running.set(queryId, { owner: actor.username, stop })
      try {
        const answer = await graph.cypher(
          { graph: req.graph, script: req.script, parameters: req.parameters, timeoutSeconds: req.timeout, actor: { username: actor.username, isAdmin: actor.isAdmin } },
          stop.signal,
        )
        if (!('result' in answer)) throw graphError('worker_failed', 'the query answered JSON text where a result was expected')
        const { header, rows, elapsed, summary } = answer.result
        return { header, rows, elapsed, ...(summary ? { summary } : {}) }
      } finally {
        running.delete(queryId)
      }
    },

    /** Stops a running query. Throws query_not_found (ended or unknown), not_your_query. */
    cancel(queryId: string, actor: Actor): { queryId: string; cancelled: true } {
      const run = running.get(queryId)
      if (!run) throw graphError('query_not_found', `no query named ${queryId} is running`, { field: 'queryId' })
      if (run.owner !== actor.username && !actor.isAdmin) throw graphError('not_your_query', `query ${queryId} was started by ${run.owner}; only they or an admin may stop it`)
      run.stop.abort()
      return { queryId, cancelled: true }
    },
  }
}
