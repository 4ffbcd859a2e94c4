import { TaskFailure, type Executor } from '../engine/executor'

/** Cypher needs the local graph store, which comes with the Graph issue; until then it says so. */
export const cypherExecutor: Executor = {
  name: 'cypher',
  resumable: true,
  run: () => Promise.reject(new TaskFailure('engine not available: cypher runs against the local graph, which this JobDesk does not have yet', false)),
}
