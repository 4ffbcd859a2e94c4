// Cycle detection for DAGs drawn by people: the engine's job DAGs (electron/engine/dag.ts) and the
// graph workflow validator (shared/graph-workflows.ts) share it, so it lives where both can import it.

/**
 * How every validator says a cycle findCycle found (job DAGs, Rill Flow's `next`, graph workflows'
 * wires): `cycle found: a -> b -> a`. One wording: a new user read Rill Flow's upstream "circle
 * found: a->b->a" as a typo.
 */
export const cycleMessage = (cycle: readonly string[]): string => `cycle found: ${cycle.join(' -> ')}`

/** The names of the nodes a cycleMessage names, each once (`cycle found: a -> b -> a`: `['a', 'b']`); [] for any other text. */
export const cycleNames = (message: string): string[] =>
  message.startsWith('cycle found: ') ? [...new Set(message.slice('cycle found: '.length).split(' -> '))] : []

/**
 * The first cycle found, as a path that starts and ends at the same node (`a → b → a` is
 * `['a', 'b', 'a']`), or null. `dependents` maps each node name to the names that follow it.
 * Iterative DFS: a 100k-node chain must not overflow the stack.
 */
export function findCycle(nodes: readonly { name: string }[], dependents: Map<string, readonly string[]>): string[] | null {
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
