// The saved-script tree (#13.5): folders a path implies appear, empty folders stay, folders first.
import { describe, expect, it } from 'vitest'
import type { SavedScriptEntry } from '../../shared/saved-scripts'
import { buildTree, scriptCount, type TreeNode } from '../../renderer/src/features/scripts/script-tree'

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
