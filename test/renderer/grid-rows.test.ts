// The run grid's rows (#13.3): a workflow's tasks nested as the graph draws them, and rows only older runs had.
import { describe, expect, it } from 'vitest'
import { gridRows, visibleRows } from '../../renderer/src/features/workflows/grid-rows'
import { subTaskLabel } from '../../renderer/src/features/workflows/execution-status'
import type { WorkflowNode } from '../../shared/workflows'

const node = (name: string, next: string[] = [], extra: Partial<WorkflowNode> = {}): WorkflowNode => ({ name, category: 'pass', next, ...extra })

//   start ─► each [foreach: fetch ─► inner [foreach: leaf]] ─► pick [choice: #1 small, #2 big (YAML order 1, 0)]
const NODES: WorkflowNode[] = [
  node('start', ['each']),
  node('each', ['pick'], { category: 'foreach', groups: [[node('inner', [], { category: 'foreach', groups: [[node('leaf')]] }), node('fetch', ['inner'])]] }),
  node('pick', [], { category: 'choice', groups: [[node('big')], [node('small')]], yamlOrder: [1, 0] }),
]

describe('grid rows', () => {
  it('nests a group’s tasks under it in chain and YAML order, and places rows of older runs under their group', () => {
    const rows = gridRows(NODES, ['each/old', 'gone', 'pick/big'])
    expect(rows.map((r) => `${'  '.repeat(r.depth)}${r.label}${r.group ? ' +' : ''}`)).toEqual([
      'start',
      'each +',
      '  fetch',
      '  inner +',
      '    leaf',
      '  old',
      'pick +',
      '  small',
      '  big',
      'gone',
    ])
    expect(rows.find((r) => r.label === 'leaf')).toMatchObject({ key: 'each/inner/leaf', parent: 'each/inner' })
  })

  it('shows a row only while every group above it is unfolded', () => {
    const rows = gridRows(NODES, [])
    expect(visibleRows(rows, new Set()).map((r) => r.key)).toEqual(['start', 'each', 'pick'])
    expect(visibleRows(rows, new Set(['each/inner'])).map((r) => r.key)).toEqual(['start', 'each', 'pick'])
    expect(visibleRows(rows, new Set(['each', 'each/inner'])).map((r) => r.key)).toEqual(['start', 'each', 'each/fetch', 'each/inner', 'each/inner/leaf', 'pick'])
  })

  it('names a sub-task on the timeline by its item and its own name', () => {
    expect(subTaskLabel('each', 'each_3-fetch')).toBe('[3] fetch')
    expect(subTaskLabel('each', 'each_0-inner_12-leaf')).toBe('[0] inner [12] leaf')
  })
})
