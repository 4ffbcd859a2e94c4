// The saved-script tree (#13.5): folders a path implies appear, empty folders stay, folders first.
import { describe, expect, it } from 'vitest'
import type { SavedScriptEntry } from '../../shared/saved-scripts'
import { buildTree, copyPath, freshFolderName, scriptCount, treeKey, visibleItems, type TreeNode } from '../../renderer/src/features/scripts/script-tree'
import { describeView, NO_QUERY } from '../../renderer/src/features/scripts/result-rows'

const entry = (path: string, kind: 'script' | 'folder' = 'script'): SavedScriptEntry => ({ id: 0, path, kind, language: kind === 'script' ? 'sql' : null, size: 0, updatedAt: 0 })
const draw = (nodes: TreeNode[], depth = 0): string[] => nodes.flatMap((n) => [`${'  '.repeat(depth)}${n.kind === 'folder' ? '+' : '-'} ${n.name}`, ...draw(n.children, depth + 1)])

describe('buildTree', () => {
  it('nests scripts under the folders their paths name, folders first, by name', () => {
    const tree = buildTree([entry('zeta'), entry('reports/b/weekly'), entry('reports/Daily'), entry('empty', 'folder'), entry('alpha')])
    expect(draw(tree)).toEqual(['+ empty', '+ reports', '  + b', '    - weekly', '  - Daily', '- alpha', '- zeta'])
    expect(scriptCount(tree[1])).toBe(2)
    expect(tree[1].children[0].path).toBe('reports/b')
  })
})

describe('tree keys', () => {
  const tree = buildTree([entry('reports/daily'), entry('reports/sub/weekly'), entry('empty', 'folder'), entry('zeta')])
  const open = new Set<string>()
  const items = visibleItems(tree, open)

  it('lists the rows the tree shows, top to bottom, without those in a closed folder', () => {
    expect(items.map((i) => `${i.node.path} in ${i.parent}`)).toEqual(['empty in null', 'reports in null', 'reports/sub in reports', 'reports/sub/weekly in reports/sub', 'reports/daily in reports', 'zeta in null'])
    expect(visibleItems(tree, new Set(['reports'])).map((i) => i.node.path)).toEqual(['empty', 'reports', 'zeta'])
  })

  it('moves up and down the shown rows, to the first and last, and stops at the ends', () => {
    expect(treeKey(items, 'reports', 'ArrowDown', open)).toEqual({ focus: 'reports/sub' })
    expect(treeKey(items, 'reports/daily', 'ArrowUp', open)).toEqual({ focus: 'reports/sub/weekly' })
    expect(treeKey(items, 'reports/daily', 'Home', open)).toEqual({ focus: 'empty' })
    expect(treeKey(items, 'empty', 'End', open)).toEqual({ focus: 'zeta' })
    expect(treeKey(items, 'zeta', 'ArrowDown', open)).toBeNull()
    expect(treeKey(items, 'empty', 'ArrowUp', open)).toBeNull()
    const closed = new Set(['reports'])
    expect(treeKey(visibleItems(tree, closed), 'reports', 'ArrowDown', closed)).toEqual({ focus: 'zeta' })
  })

  it('opens a closed folder or goes into it with ArrowRight; closes it or goes to its folder with ArrowLeft', () => {
    const closed = new Set(['reports'])
    expect(treeKey(visibleItems(tree, closed), 'reports', 'ArrowRight', closed)).toEqual({ expand: 'reports' })
    expect(treeKey(items, 'reports', 'ArrowRight', open)).toEqual({ focus: 'reports/sub' })
    expect(treeKey(items, 'empty', 'ArrowRight', open)).toBeNull() // open, with nothing in it
    expect(treeKey(items, 'zeta', 'ArrowRight', open)).toBeNull() // a script
    expect(treeKey(items, 'reports', 'ArrowLeft', open)).toEqual({ collapse: 'reports' })
    expect(treeKey(items, 'reports/sub/weekly', 'ArrowLeft', open)).toEqual({ focus: 'reports/sub' })
    expect(treeKey(visibleItems(tree, closed), 'reports', 'ArrowLeft', closed)).toBeNull() // closed, at the top
    expect(treeKey(items, 'zeta', 'Enter', open)).toBeNull() // the row's button opens it
  })
})

describe('copyPath', () => {
  it('offers the next free path beside a script for a copy', () => {
    expect(copyPath('reports/daily', [entry('reports/daily')])).toBe('reports/daily-copy')
    expect(copyPath('reports/daily', [entry('reports/daily-copy'), entry('reports/daily-copy-2/x')])).toBe('reports/daily-copy-3')
  })
})

describe('freshFolderName', () => {
  it('offers "New folder", then the next number free at the top of the tree (case-insensitive)', () => {
    expect(freshFolderName([])).toBe('New folder')
    expect(freshFolderName(buildTree([entry('new FOLDER', 'folder'), entry('New folder 2/x')]))).toBe('New folder 3')
    expect(freshFolderName(buildTree([entry('deep/New folder', 'folder')]))).toBe('New folder') // only the top level counts
  })
})

describe('describeView', () => {
  it('says the sort and filter of a result table, for the export note', () => {
    const columns = [{ name: 'name' }, { name: 'pop' }]
    expect(describeView({ sort: { column: 1, dir: 'desc' }, filter: ' r ' }, columns)).toBe('sorted by pop (descending), filtered by “r”')
    expect(describeView({ sort: { column: 0, dir: 'asc' }, filter: '' }, columns)).toBe('sorted by name (ascending)')
    expect(describeView(NO_QUERY, columns)).toBe("in the query's order")
  })
})
