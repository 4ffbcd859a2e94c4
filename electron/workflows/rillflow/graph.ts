import type { WorkflowNode } from '../../../shared/workflows'
import { sortedChoices } from './choices'
import type { Task } from './descriptor/types'
import { splitNext } from './descriptor/walk'

/** A descriptor level as the UI draws it. Choice groups keep upstream's order (sorted by condition text, the runtime's group numbers); `yamlOrder` and `switches` give the order as written. */
export function graphOf(tasks: readonly Task[]): WorkflowNode[] {
  return tasks.map((t) => {
    const node: WorkflowNode = { name: t.name, category: t.category, next: splitNext(t.next) }
    if (t.title) node.title = t.title
    if (t.category === 'foreach') node.groups = [graphOf(t.tasks)]
    if (t.category === 'choice') {
      const choices = sortedChoices(t)
      node.groups = choices.map((c) => graphOf(c.tasks))
      node.conditions = choices.map((c) => c.condition ?? '')
      node.yamlOrder = t.choices.map((c) => choices.indexOf(c))
    }
    if (t.category === 'switch') node.switches = t.switches.map((w) => ({ condition: w.condition ?? '', next: w.next ?? null, break: w.break === true }))
    return node
  })
}
