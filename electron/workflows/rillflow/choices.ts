import type { Choice, ChoiceTask } from './descriptor/types'

/**
 * A choice task's choices in upstream's order: sorted by condition text, ignoring case
 * (Java's compareToIgnoreCase compares char codes, not locale order). Group i is the i-th.
 */
export function sortedChoices(def: ChoiceTask): Choice[] {
  return [...def.choices].sort((a, b) => {
    const x = (a.condition ?? '').toLowerCase()
    const y = (b.condition ?? '').toLowerCase()
    return x < y ? -1 : x > y ? 1 : 0
  })
}
