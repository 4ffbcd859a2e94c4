import { invalid } from '../../shared/errors'

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
    if (cycle) throw invalid('cycle', `circle found: ${cycle.join('->')}`, 'tasks')
  }
}

/** Iterative DFS (a 100k-task chain must not overflow the stack); returns the first cycle as a path. */
export function findCycle(nodes: readonly DagNode[], dependents: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>() // 1 = on the current path, 2 = done
  for (const start of nodes) {
    if (state.has(start.name)) continue
    const path: string[] = [start.name]
    const cursors: number[] = [0]
    state.set(start.name, 1)
    while (path.length) {
      const top = path[path.length - 1]
      const next = dependents.get(top) ?? []
      const i = cursors[cursors.length - 1]
      if (i >= next.length) {
        state.set(top, 2)
        path.pop()
        cursors.pop()
        continue
      }
      cursors[cursors.length - 1] = i + 1
      const child = next[i]
      const s = state.get(child)
      if (s === 1) return [...path.slice(path.indexOf(child)), child]
      if (s === undefined) {
        state.set(child, 1)
        path.push(child)
        cursors.push(0)
      }
    }
  }
  return null
}
