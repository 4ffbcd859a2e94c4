// Who may change a graph. Reading is shared: every signed-in user may read any graph and run
// read-only Cypher on it. Changing it — its schema, its data (Cypher writes, write procedures),
// imports into it, dropping it — needs its owner (the user who created it; `default` and graphs made
// before owners were kept belong to admin) or an admin. A mature graph database grants writes per
// graph; JobDesk keeps the one rule, owner or admin, here, for every dialect and the GUI, checked
// when a request comes and again when a job writes (requireGraphWrite: a graph may change hands between).
import { TaskFailure } from '../engine/executor'
import { failureCause, graphError } from './errors'
import type { GraphHost } from './worker/graph-host'
import type { CypherQuery } from './worker/protocol'

/** A statement's timeout in seconds when none is given (TuGraph's Query tab default), and the most one may ask for. */
export const QUERY_TIMEOUT_DEFAULT_S = 600
export const QUERY_TIMEOUT_MAX_S = 24 * 3600

/** The owner of a graph that records none (`default`, graphs made before owners were kept). */
export const DEFAULT_GRAPH_OWNER = 'admin'

/** Who asks (GraphActor in graph.service.ts). */
export interface GraphUser {
  username: string
  isAdmin: boolean
}

/**
 * The run's user as rights see them: `caller` (users.caller: their role now), never an admin when
 * the task's spec says `noAdmin` (services/access.ts runSpec: a credential that is not an admin's
 * submitted it, #9 §3).
 */
export const runUser = <U extends { isAdmin: boolean }>(caller: U, spec: Record<string, unknown>): U => (spec.noAdmin === true ? { ...caller, isAdmin: false } : caller)

/**
 * The app itself, for its own internal calls (seeding, fixtures): an admin. Callers name it; an actor
 * is never optional, so a new caller cannot skip a rights check by leaving it out.
 */
export const SYSTEM_ACTOR: GraphUser = Object.freeze({ username: DEFAULT_GRAPH_OWNER, isAdmin: true })

export interface GraphRights {
  /** Why `user` may not change `graph`, or undefined when they may (its owner or an admin). Throws graph_not_found. */
  writeRefusal(graph: string, user: GraphUser): Promise<string | undefined>
  /** Throws not_graph_owner (forbidden) with the reason when `user` may not change `graph`; graph_not_found. */
  requireWriter(graph: string, user: GraphUser): Promise<void>
}

/** The rights over graphs whose owners `host` reads from the graph files. */
export function createGraphRights(host: Pick<GraphHost, 'request'>): GraphRights {
  const rights: GraphRights = {
    async writeRefusal(graph, user) {
      if (user.isAdmin) return undefined
      const { owner } = await host.request('graphs.summary', { graph }, { user: user.username }) // not its schema: only the owner
      if (owner === user.username) return undefined
      return `Graph [${graph}] belongs to ${owner}: only its owner or an admin may change its schema or data, import into it or drop it; ${user.username} may read it and run read-only queries`
    },
    async requireWriter(graph, user) {
      const refusal = await rights.writeRefusal(graph, user)
      if (refusal) throw graphError('not_graph_owner', refusal)
    },
  }
  return rights
}

/** A change a job's task makes to a graph when it runs: which graph, and what it does (the refusal names both). */
export interface GraphWrite {
  graph: string
  /** What the task does, as words before "graph [g]": "import into", "write PageRank results back into". */
  action: string
}

/**
 * The one check of a graph write made by a job, for the user it runs for, at the moment it runs:
 * executors call it when they start an import or a write-back (a first run, a rerun, a redo, a
 * recovery after a restart alike), and a rerun calls it at submit too, so its caller hears 403 at
 * once. A right seen when a job was first submitted is never trusted later: the graph may since have
 * been dropped and made anew by someone else (#9 §3). Throws not_graph_owner naming the user, the
 * action, the graph and the right it needs (its owner or an admin); graph_not_found.
 */
export async function requireGraphWrite(rights: Pick<GraphRights, 'writeRefusal'>, user: GraphUser, write: GraphWrite): Promise<void> {
  const refusal = await rights.writeRefusal(write.graph, user)
  if (refusal) throw graphError('not_graph_owner', `${user.username} may not ${write.action} graph [${write.graph}]: that needs the right to change the graph. ${refusal}`)
}

/** What an executor needs to check a task's graph write when it runs (app.ts gives the store's users). */
export interface RunRights {
  rights: Pick<GraphRights, 'writeRefusal'>
  /** A stored username as the rights see it (an unknown or deleted user is no admin). */
  userOf(username: string): GraphUser
}

/**
 * requireGraphWrite for a task about to write: a refusal, or a graph that is gone, fails the task
 * (TaskFailure, not retried) with the reason, and the cause in its output (`{failure}`, which GES
 * answers its errorCode from). `username` is the user the task runs for.
 */
export async function requireTaskGraphWrite(run: RunRights, username: string, write: GraphWrite): Promise<void> {
  try {
    await requireGraphWrite(run.rights, run.userOf(username), write)
  } catch (e) {
    throw new TaskFailure((e as Error).message, false, { failure: failureCause(e) })
  }
}

/**
 * `query` as a query worker runs it for `query.actor`: graph "" is `default`; the timeout in seconds
 * (none or 0: QUERY_TIMEOUT_DEFAULT_S; at most QUERY_TIMEOUT_MAX_S); and, when the actor may not
 * change the graph, `readOnly` with the reason, so a statement that writes fails with
 * not_graph_owner. The one check of write rights before every Cypher run (graphs.cypher, Cypher
 * script jobs, graph workflow components). Throws invalid_request (field timeout) for a negative or
 * non-finite timeout, and graph_not_found.
 */
export async function cypherFor(rights: Pick<GraphRights, 'writeRefusal'>, query: CypherQuery & { actor: GraphUser }): Promise<CypherQuery> {
  const t = query.timeoutSeconds
  if (t !== undefined && (!Number.isFinite(t) || t < 0)) throw graphError('invalid_request', 'timeout must be a number of seconds, 0 or more', { field: 'timeout' })
  const timeoutSeconds = !t ? QUERY_TIMEOUT_DEFAULT_S : Math.min(t, QUERY_TIMEOUT_MAX_S)
  const graph = query.graph || 'default'
  const readOnly = await rights.writeRefusal(graph, query.actor)
  return { ...query, graph, timeoutSeconds, ...(readOnly ? { readOnly } : {}) }
}
