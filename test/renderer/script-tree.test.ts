// The saved-script tree (#13.5): folders a path implies appear, empty folders stay, folders first.
import { describe, expect, it } from 'vitest'
import type { SavedScriptEntry } from '../../shared/saved-scripts'
import { buildTree, freshFolderName, scriptCount, type TreeNode } from '../../renderer/src/features/scripts/script-tree'
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
