// Cypher script jobs (Linkis runType `cypher`, the Scripts page): the script's statements run one
// after another in a graph query worker (never on the main thread), against the job's graph
// (`spec.graph`, default `default`). Each statement that returns rows becomes a table result set,
// cells in TuGraph's JSON encoding; a write without RETURN logs TuGraph's summary. Cancel and
// timeout stop the running statement (the worker's stop flag, then termination).
import { TaskFailure, type Executor } from '../engine/executor'
import { cypherRows } from '../graph/cypher/packed-rows'
import { splitCypher } from '../graph/cypher/split'
import { cypherFor, runUser, type GraphRights, type GraphUser } from '../graph/graph-rights'
import type { CypherQuery } from '../graph/worker/protocol'
import type { GraphHost } from '../graph/worker/graph-host'
import { MAX_RESULT_SETS_PER_JOB, type ResultRepository } from '../store/result.repository'
import { storeQueryRows } from './result-steps'

export interface CypherExecutorOptions {
  host: GraphHost
  results: ResultRepository
  /** Owner-or-admin writes (graph-rights.ts): a statement that writes fails for a user who may only read the graph. */
  rights: Pick<GraphRights, 'writeRefusal'>
  /** The job's user as the rights see them (whether they are an admin). */
  userOf(username: string): GraphUser
}

export function createCypherExecutor(o: CypherExecutorOptions): Executor {
  return {
    name: 'cypher',
    // a write statement run twice would write twice
    resumable: false,
    async run(ctx) {
      const code = ctx.spec.code
      if (typeof code !== 'string') throw new TaskFailure('spec.code must be a string', false)
      const graph = typeof ctx.spec.graph === 'string' && ctx.spec.graph ? ctx.spec.graph : 'default'
      const user = typeof ctx.spec.user === 'string' ? ctx.spec.user : ''
      const statements = splitCypher(code)
      if (!statements.length) throw new TaskFailure('the script has no Cypher statement', false)
      const actor = runUser(o.userOf(user), ctx.spec) // never admin unless an admin's credential submitted it
      let asked: CypherQuery
      try {
        asked = await cypherFor(o.rights, { graph, script: '', actor })
      } catch (e) {
        throw new TaskFailure((e as Error).message, false) // graph_not_found
      }
      ctx.log('INFO', `graph ${graph}: ${statements.length} statement${statements.length === 1 ? '' : 's'}`)
      const sets: number[] = []
      for (const [i, script] of statements.entries()) {
        if (ctx.signal.aborted) throw new Error(`stopped (${String(ctx.signal.reason)})`)
        let answer
        try {
          answer = await o.host.runCypher({ ...asked, script, packRows: true }, ctx.signal)
        } catch (e) {
          if (ctx.signal.aborted) throw new Error(`stopped (${String(ctx.signal.reason)})`)
          // the graph named: a script runs against `default` unless told, and "Vertex label [x] does not
          // exist." alone left a user looking in the graph they had open elsewhere (new-user trial)
          const where = statements.length > 1 ? `statement ${i + 1} in graph ${graph}: ` : `in graph ${graph}: `
          throw new TaskFailure(`${where}${(e as Error).message}`, false)
        }
        const r = cypherRows(answer)
        if (!r) throw new TaskFailure('the query worker answered no result', false)
        ctx.log('INFO', `statement ${i + 1}: ${r.summary ?? `${r.rows.count} row${r.rows.count === 1 ? '' : 's'}`} in ${r.elapsed.toFixed(3)} s`)
        // a write's summary is in the log; a void procedure (createVertexLabel) has no columns
        if ((r.summary && r.header.length === 1 && r.header[0].name === '<SUMMARY>') || r.header.length === 0) continue
        if (o.results.count(ctx.jobId) >= MAX_RESULT_SETS_PER_JOB) {
          ctx.log('WARN', `statement ${i + 1}: not kept as a result set: the job has ${MAX_RESULT_SETS_PER_JOB}, the most a job keeps`)
          continue
        }
        const set = await storeQueryRows(o.results, ctx, r.header, r.rows, `statement ${i + 1}`)
        sets.push(set.index)
        ctx.progress?.((i + 1) / statements.length)
      }
      return { output: { graph, statements: statements.length, resultSets: sets.length } }
    },
  }
}
