import type { SavedScriptEntry } from '../../../../shared/saved-scripts'

/** A folder or script of the saved-script tree; folders a script's path implies are made up here. */
export interface TreeNode {
  name: string
  path: string
  kind: 'script' | 'folder'
  entry: SavedScriptEntry | null
  children: TreeNode[]
}

/** The tree of a user's saved entries: folders first, then scripts, each by name (case-insensitive). */
export function buildTree(entries: readonly SavedScriptEntry[]): TreeNode[] {
  const root: TreeNode = { name: '', path: '', kind: 'folder', entry: null, children: [] }
  const folder = (names: string[]): TreeNode => {
    let at = root
    for (let i = 0; i < names.length; i++) {
      const path = names.slice(0, i + 1).join('/')
      let next = at.children.find((c) => c.kind === 'folder' && c.name === names[i])
      if (!next) {
        next = { name: names[i], path, kind: 'folder', entry: null, children: [] }
        at.children.push(next)
      }
      at = next
    }
    return at
  }
  for (const e of entries) {
    const names = e.path.split('/')
    if (e.kind === 'folder') folder(names).entry = e
    else folder(names.slice(0, -1)).children.push({ name: names[names.length - 1], path: e.path, kind: 'script', entry: e, children: [] })
  }
  const sort = (nodes: TreeNode[]) => {
    nodes.sort((a, b) => (a.kind !== b.kind ? (a.kind === 'folder' ? -1 : 1) : a.name.localeCompare(b.name, undefined, { sensitivity: 'base' })))
    for (const n of nodes) sort(n.children)
  }
  sort(root.children)
  return root.children
}

/** How many scripts a node holds (itself for a script). */
export const scriptCount = (n: TreeNode): number => (n.kind === 'script' ? 1 : n.children.reduce((sum, c) => sum + scriptCount(c), 0))

/** The name a new folder is offered: "New folder", or "New folder 2", … when that is taken at the top of the tree. */
export function freshFolderName(tree: readonly TreeNode[]): string {
  const taken = new Set(tree.map((n) => n.name.toLowerCase()))
  for (let i = 1; ; i++) {
    const name = i === 1 ? 'New folder' : `New folder ${i}`
    if (!taken.has(name.toLowerCase())) return name
  }
}

/** A row the tree shows (its folders above are all open), with the folder it sits in. */
export interface VisibleItem {
  node: TreeNode
  /** The path of the folder it sits in; null at the top. */
  parent: string | null
}

/** The rows the tree shows, top to bottom: every node whose folders above are not in `collapsed`. */
export function visibleItems(tree: readonly TreeNode[], collapsed: ReadonlySet<string>, parent: string | null = null): VisibleItem[] {
  return tree.flatMap((node) => [{ node, parent }, ...(node.kind === 'folder' && !collapsed.has(node.path) ? visibleItems(node.children, collapsed, node.path) : [])])
}

/** What a key does in the tree: move the focus to a row, or open or close a folder. */
export type TreeKeyAction = { focus: string } | { expand: string } | { collapse: string }

/**
 * WAI-ARIA's tree-view keys on the row at `current` of `items` (visibleItems): ArrowDown/ArrowUp the
 * next/previous row, Home/End the first/last, ArrowRight opens a closed folder or moves into an open
 * one's first row, ArrowLeft closes an open folder or moves to the folder a row sits in. Null when
 * the key does nothing there (the caller then leaves it to the browser).
 */
export function treeKey(items: readonly VisibleItem[], current: string, key: string, collapsed: ReadonlySet<string>): TreeKeyAction | null {
  const at = items.findIndex((i) => i.node.path === current)
  if (at < 0) return items.length > 0 && ['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(key) ? { focus: items[0].node.path } : null
  const { node, parent } = items[at]
  const folder = node.kind === 'folder'
  const focus = (i: number): TreeKeyAction | null => (i >= 0 && i < items.length && i !== at ? { focus: items[i].node.path } : null)
  switch (key) {
    case 'ArrowDown':
      return focus(at + 1)
    case 'ArrowUp':
      return focus(at - 1)
    case 'Home':
      return focus(0)
    case 'End':
      return focus(items.length - 1)
    case 'ArrowRight':
      if (!folder) return null
      if (collapsed.has(node.path)) return { expand: node.path }
      return items[at + 1]?.parent === node.path ? focus(at + 1) : null
    case 'ArrowLeft':
      if (folder && !collapsed.has(node.path)) return { collapse: node.path }
      return parent === null ? null : { focus: parent }
    default:
      return null
  }
}

/** A free path next to `path` for a copy: `path-copy`, then `path-copy-2`, … (none of `entries` is at it or under it). */
export function copyPath(path: string, entries: readonly SavedScriptEntry[]): string {
  const taken = (p: string) => entries.some((e) => e.path === p || e.path.startsWith(`${p}/`))
  for (let i = 1; ; i++) {
    const p = i === 1 ? `${path}-copy` : `${path}-copy-${i}`
    if (!taken(p)) return p
  }
}
