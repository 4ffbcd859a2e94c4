import { invalid } from '../../shared/errors'
import { cycleMessage, findCycle } from '../../shared/dag-cycle'

export { findCycle }

export interface DagNode {
  name: string
  dependsOn: readonly string[]
}

/**
 * The shape of a job: who waits for whom. Built once per job; the engine keeps counters on top.
 *
 *   a ──► b ──► d        dependents(a) = [b, c]
 *    └──► c ───┘         dependencies(d) = [b, c]
 */
export class Dag {
  readonly dependents = new Map<string, string[]>()

  constructor(readonly nodes: readonly DagNode[]) {
    for (const n of nodes) {
      if (this.dependents.has(n.name)) throw invalid('duplicate_task', `task name "${n.name}" is used twice`, 'tasks')
      this.dependents.set(n.name, [])
    }
    for (const n of nodes) {
      for (const d of n.dependsOn) {
        const list = this.dependents.get(d)
        if (!list) throw invalid('unknown_dependency', `task "${n.name}" depends on unknown task "${d}"`, 'tasks')
        list.push(n.name)
      }
    }
    const cycle = findCycle(nodes, this.dependents)
    if (cycle) throw invalid('cycle', cycleMessage(cycle), 'tasks')
  }
}
