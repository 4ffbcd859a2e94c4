// The design graph draws a foreach's body and a choice's branches as nodes inside their task (#9):
// each inner task is placed within its container's box, a choice's branches side by side in YAML
// order, and the wires between inner tasks are edges; a run's graph keeps them summed up in one node.
import { describe, expect, it } from 'vitest'
import type { WorkflowNode } from '../../shared/workflows'
import { layoutGraph, NODE_WIDTH } from '../../renderer/src/features/workflows/dag-layout'

const pass = (name: string, next: string[] = []): WorkflowNode => ({ name, category: 'pass', next })
const NODES: WorkflowNode[] = [
  { name: 'each', category: 'foreach', next: ['pick'], groups: [[pass('step', ['save']), pass('save')]] },
  // the runtime numbers branches by sorted condition; yamlOrder gives them as written
  { name: 'pick', category: 'choice', next: [], groups: [[pass('small')], [pass('big')]], conditions: ['$.n <= 5', '$.n > 5'], yamlOrder: [1, 0] },
]

describe('layoutGraph with expanded foreach and choice tasks', () => {
  it('places inner tasks inside their container, after it, with their wires', () => {
    const { nodes, edges } = layoutGraph(NODES, false, 'TB', true)
    expect(nodes.map((p) => [p.node.name, p.parent])).toEqual([['each', undefined], ['step', 'each'], ['save', 'each'], ['pick', undefined], ['big', 'pick'], ['small', 'pick']])
    const at = new Map(nodes.map((p) => [p.node.name, p]))
    for (const p of nodes.filter((n) => n.parent)) {
      const box = at.get(p.parent!)!
      expect(p.x).toBeGreaterThanOrEqual(box.x)
      expect(p.y).toBeGreaterThan(box.y)
      expect(p.x + p.width).toBeLessThanOrEqual(box.x + box.width)
      expect(p.y + p.height).toBeLessThanOrEqual(box.y + box.height)
    }
    expect(at.get('save')!.y).toBeGreaterThan(at.get('step')!.y + at.get('step')!.height)
    // branches side by side as written: #1 (big) left of #2 (small)
    expect(at.get('big')!.x + NODE_WIDTH).toBeLessThanOrEqual(at.get('small')!.x)
    expect(at.get('pick')!.bodies).toHaveLength(2)
    expect(edges.map((e) => e.id).sort()).toEqual(['each->pick', 'step->save'])
    // the containers do not overlap
    expect(at.get('pick')!.y).toBeGreaterThan(at.get('each')!.y + at.get('each')!.height)
  })

  it('keeps a run graph (not expanded) to top-level nodes', () => {
    const { nodes, edges } = layoutGraph(NODES, true, 'TB')
    expect(nodes.map((p) => p.node.name)).toEqual(['each', 'pick'])
    expect(nodes.every((p) => p.width === NODE_WIDTH && !p.bodies)).toBe(true)
    expect(edges.map((e) => e.id)).toEqual(['each->pick'])
  })
})
