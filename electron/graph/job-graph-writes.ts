// Which graphs a job's tasks change when they run, by executor: what a rerun checks at submit
// (graph-rights.ts requireGraphWrite), so its caller hears 403 at once rather than later reading
// a failed job. Each executor checks again when it runs; Cypher tasks (scripts, query components)
// are left to that run-time check (cypherFor), as only running them tells whether they write.
import { ALGORITHM_EXECUTOR, algorithmGraphWrite, type AlgorithmTaskSpec } from './algorithms/algorithm.executor'
import { GES_IMPORT_EXECUTOR, gesGraphWrite, type GesImportSpec } from './ges/ges-import.executor'
import { requireGraphWrite, type GraphRights, type GraphUser, type GraphWrite } from './graph-rights'
import { IMPORT_EXECUTOR, importGraphWrite, type ImportTaskSpec } from './import/import.executor'
import { COMPONENT_EXECUTOR, componentGraphWrite, type ComponentTaskSpec } from './workflows/component.executor'

type Spec = Record<string, unknown>

const WRITES: Record<string, (spec: Spec) => GraphWrite | undefined> = {
  [IMPORT_EXECUTOR]: (spec) => importGraphWrite(spec as unknown as ImportTaskSpec),
  [GES_IMPORT_EXECUTOR]: (spec) => gesGraphWrite(spec as unknown as GesImportSpec),
  [ALGORITHM_EXECUTOR]: (spec) => algorithmGraphWrite(spec as unknown as AlgorithmTaskSpec),
  [COMPONENT_EXECUTOR]: (spec) => componentGraphWrite(spec as unknown as ComponentTaskSpec),
}

/** The graph writes of `tasks` known before they run (imports, write-backs), one per graph and action. */
export function taskGraphWrites(tasks: readonly { executor: string; spec: Spec }[]): GraphWrite[] {
  const seen = new Map<string, GraphWrite>()
  for (const t of tasks) {
    const w = WRITES[t.executor]?.(t.spec)
    if (w) seen.set(`${w.graph}\u0000${w.action}`, w)
  }
  return [...seen.values()]
}

/**
 * Throws not_graph_owner (forbidden: 403) when `user` may not make one of the graph writes of
 * `tasks` now, graph_not_found when such a graph is gone: a rerun's check at submit.
 */
export async function requireJobGraphWrites(rights: Pick<GraphRights, 'writeRefusal'>, user: GraphUser, tasks: readonly { executor: string; spec: Spec }[]): Promise<void> {
  for (const w of taskGraphWrites(tasks)) await requireGraphWrite(rights, user, w)
}
