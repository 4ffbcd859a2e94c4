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
