// The run grid's rows: the workflow's tasks as the graph nests them (a choice's branches and a
// foreach's body under their task), then rows only older runs had.
import { GRID_PATH_SEPARATOR } from '../../../../shared/workflow-manage'
import type { WorkflowNode } from '../../../../shared/workflows'
import { branchOrder, inChainOrder } from './dag-layout'

export interface GridRow {
  /** The row's key as the server names it (GridTask.name): `each`, `each/fetch`. */
  key: string
  /** The task's own name, shown indented under its group. */
  label: string
  /** 0 at the top level. */
  depth: number
  /** The group row it is under; null at the top level. */
  parent: string | null
  /** Whether rows nest under it (a choice or foreach). */
  group: boolean
}

/** The rows of `nodes` in drawing order: each node, then (recursively) its groups' tasks in branch and chain order. */
function definitionRows(nodes: readonly WorkflowNode[], parent: string | null, depth: number, out: GridRow[]): void {
  for (const n of nodes) {
    const key = parent === null ? n.name : `${parent}${GRID_PATH_SEPARATOR}${n.name}`
    if (out.some((r) => r.key === key)) continue // the same task in two choice branches: one row
    const groups = n.groups ?? []
    out.push({ key, label: n.name, depth, parent, group: groups.length > 0 })
    for (const g of branchOrder(n)) if (groups[g]) definitionRows(inChainOrder(groups[g]), key, depth + 1, out)
  }
}

/**
 * The grid's rows: the open version's tasks (nested as drawn), then each row of `seen` (the runs'
 * rows, GridTask names) the version lacks, under its group row when that is there, else at the end.
 */
export function gridRows(nodes: readonly WorkflowNode[], seen: readonly string[]): GridRow[] {
  const rows: GridRow[] = []
  definitionRows(nodes, null, 0, rows)
  for (const key of seen) {
    if (rows.some((r) => r.key === key)) continue
    const cut = key.lastIndexOf(GRID_PATH_SEPARATOR)
    const parent = cut === -1 ? null : key.slice(0, cut)
    const under = parent === null ? -1 : rows.findIndex((r) => r.key === parent)
    const row: GridRow = { key, label: key.slice(cut + 1), depth: under === -1 ? 0 : rows[under].depth + 1, parent: under === -1 ? null : parent, group: false }
    if (under === -1) {
      rows.push(row)
      continue
    }
    rows[under].group = true
    let at = under + 1 // after the group's last descendant
    while (at < rows.length && rows[at].depth > rows[under].depth) at++
    rows.splice(at, 0, row)
  }
  return rows
}

/** The rows shown: a row under a folded group (or under a group under one) is hidden. */
export function visibleRows(rows: readonly GridRow[], open: ReadonlySet<string>): GridRow[] {
  const byKey = new Map(rows.map((r) => [r.key, r]))
  const shown = (r: GridRow): boolean => {
    if (r.parent === null) return true
    const group = byKey.get(r.parent)
    return group !== undefined && open.has(group.key) && shown(group)
  }
  return rows.filter(shown)
}
