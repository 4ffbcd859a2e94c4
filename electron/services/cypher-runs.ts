// The Cypher statements the GUI and the native API run (graphs.cypher), by the caller's queryId,
// so that one can be stopped while it runs (graphs.cypherCancel): IPC has no hang-up to cancel on,
// and an HTTP client may want to stop a query without dropping its connection.
import { randomUUID } from 'node:crypto'
import type { CypherRunRequest, CypherRunResult } from '../../shared/graph-api'
import { packedJson } from '../graph/cypher/packed-rows'
import { graphError } from '../graph/errors'
import type { GraphService } from '../graph/graph.service'
import { RawJson } from '../store/raw-json'
import type { Actor } from './access'

const QUERY_ID = /^[A-Za-z0-9_-]{1,64}$/

export type CypherRuns = ReturnType<typeof createCypherRuns>

interface Run {
  owner: string
  stop: AbortController
}

/**
 * Runs and stops Cypher statements by queryId. QueryIds are the caller's own names, one namespace
 * per user: two users may use the same name at once, and nothing a user does with a name (run it,
 * stop it) tells them whether another user's query has it. An admin may stop anyone's run, as
 * TuGraph's admin may kill any query: their own by that name first, else the one user's run that
 * has it (`user` names whose, when several have).
 */
export function createCypherRuns(graph: GraphService) {
  /** user → queryId → run */
  const running = new Map<string, Map<string, Run>>()
  return {
    /**
     * Runs `req.script` on `req.graph` and answers its header and rows (`rows` is a RawJson of their
     * JSON, as the query worker built it: HTTP writes it as it is, IPC parses it). Throws invalid_request
     * (queryId, parameters), query_id_taken (a run of this caller still has that queryId), and
     * every error of GraphService.cypher.
     */
    async run(req: CypherRunRequest, actor: Actor): Promise<CypherRunResult> {
      if (typeof req.graph !== 'string') throw graphError('invalid_request', 'graph must be a graph name', { field: 'graph' })
      if (typeof req.script !== 'string' || !req.script.trim()) throw graphError('invalid_request', 'script must be a Cypher statement', { field: 'script' })
      const queryId = req.queryId ?? randomUUID()
      if (typeof queryId !== 'string' || !QUERY_ID.test(queryId)) throw graphError('invalid_request', 'queryId must be 1 to 64 letters, digits, - or _', { field: 'queryId' })
      if (req.parameters !== undefined && (typeof req.parameters !== 'object' || req.parameters === null || Array.isArray(req.parameters))) {
        throw graphError('invalid_request', 'parameters must be a JSON object', { field: 'parameters' })
      }
      const mine = running.get(actor.username) ?? new Map<string, Run>()
      if (mine.has(queryId)) throw graphError('query_id_taken', `a query of yours named ${queryId} is still running`, { field: 'queryId' })
      const stop = new AbortController()
      mine.set(queryId, { owner: actor.username, stop })
      running.set(actor.username, mine)
      try {
        const answer = await graph.cypher(
          { graph: req.graph, script: req.script, parameters: req.parameters, timeoutSeconds: req.timeout, packRows: true, actor: { username: actor.username, isAdmin: actor.isAdmin } },
          stop.signal,
        )
        if (!('packed' in answer)) throw graphError('worker_failed', 'the query answered no packed rows where they were asked for')
        const { header, rows, elapsed, summary } = answer.packed
        // the rows' JSON as the worker built it, written into the answer as it is (RawJson: HTTP streams
        // it a slice a turn, IPC parses it): 200,000 rows built into an answer here held the main thread for seconds (#9 §2)
        return { header, rows: new RawJson(packedJson(rows)) as unknown as unknown[][], elapsed, ...(summary ? { summary } : {}) }
      } finally {
        mine.delete(queryId)
        if (mine.size === 0 && running.get(actor.username) === mine) running.delete(actor.username)
      }
    },

    /**
     * Stops a running query: the caller's own of that name; for an admin, else the run of that name
     * of `user`, or of the one user who has one. Throws query_not_found (none of the caller's, for a
     * non-admin whatever other users run), not_your_query (a non-admin naming another user),
     * invalid_request (an admin's name that several users' runs have, without `user`).
     */
    cancel(queryId: string, actor: Actor, user?: string): { queryId: string; user: string; cancelled: true } {
      if (user !== undefined && (typeof user !== 'string' || user.length === 0 || user.length > 64)) {
        throw graphError('invalid_request', 'user must be a user name', { field: 'user' })
      }
      if (user !== undefined && user !== actor.username && !actor.isAdmin) {
        throw graphError('not_your_query', `only ${user} or an admin may stop ${user}'s queries`, { field: 'user' })
      }
      const run = findRun(queryId, actor, user)
      if (!run) throw graphError('query_not_found', `no query ${user && user !== actor.username ? `of ${user} ` : 'of yours '}named ${queryId} is running`, { field: 'queryId' })
      run.stop.abort()
      return { queryId, user: run.owner, cancelled: true }
    },
  }

  function findRun(queryId: string, actor: Actor, user: string | undefined): Run | undefined {
    if (user !== undefined) return running.get(user)?.get(queryId)
    const own = running.get(actor.username)?.get(queryId)
    if (own || !actor.isAdmin) return own
    const others = [...running.values()].flatMap((runs) => runs.get(queryId) ?? [])
    if (others.length > 1) {
      throw graphError('invalid_request', `queries of ${others.map((r) => r.owner).join(', ')} are named ${queryId}: say whose with user`, { field: 'user' })
    }
    return others[0]
  }
}
