import type { WorkflowNode } from '../../../shared/workflows'
import { sortedChoices } from './choices'
import type { Task } from './descriptor/types'
import { splitNext } from './descriptor/walk'

/** A descriptor level as the UI draws it. Choices keep upstream's order (sorted by condition text). */
export function graphOf(tasks: readonly Task[]): WorkflowNode[] {
  return tasks.map((t) => {
    const node: WorkflowNode = { name: t.name, category: t.category, next: splitNext(t.next) }
    if (t.title) node.title = t.title
    if (t.category === 'foreach') node.groups = [graphOf(t.tasks)]
    if (t.category === 'choice') {
      const choices = sortedChoices(t)
      node.groups = choices.map((c) => graphOf(c.tasks))
      node.conditions = choices.map((c) => c.condition ?? '')
    }
    return node
  })
}
