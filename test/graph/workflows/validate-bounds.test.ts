// The graph workflow validator on hostile documents (#15, #9): a body of the native API may be
// 16 MiB, so the counts a document holds are bounded and the problem list is cut short, instead of
// seconds of checking on the main thread and a 20 MB answer listing every wire.
import { describe, expect, it } from 'vitest'
import { MAX_ISSUES, MAX_OUTPUTS, MAX_QUERY_PARAMS, MAX_WIRES, validateGraphWorkflow } from '../../../shared/graph-workflows'
import { threadCpuMs } from '../../support/cpu-time'

const query = (id: string, extra: Record<string, unknown> = {}) => ({ id, kind: 'query', graph: 'g', query: 'RETURN $p0', params: [{ name: 'p0', type: 'string', default: 'x' }], outputs: ['output0'], ...extra })

describe('graph workflow validator bounds', () => {
  it('refuses more wires than MAX_WIRES in one problem, and lists at most MAX_ISSUES problems', () => {
    const wires = Array.from({ length: 50_000 }, (_, i) => ({ from: { component: 'a', anchor: 'output0' }, to: { component: 'b', anchor: `p${i}` } }))
    const v = validateGraphWorkflow({ name: 'w', components: [query('a'), query('b')], wires })
    expect(v.valid).toBe(false)
    expect(v.errors).toEqual([{ field: 'wires', message: `a workflow has at most ${MAX_WIRES} wires, not 50000` }])

    // many bad components: the list stops, and says how many more there were
    const bad = Array.from({ length: 190 }, (_, i) => ({ id: `c${i}`, kind: 'nope' }))
    const many = validateGraphWorkflow({ name: 'w', components: bad, wires: [] }).errors
    expect(many).toHaveLength(MAX_ISSUES + 1)
    expect(many[MAX_ISSUES]).toEqual({ field: '', message: `and ${190 - MAX_ISSUES} more problems` })
  })

  it('bounds a query component’s parameters and outputs, naming the field', () => {
    const params = Array.from({ length: MAX_QUERY_PARAMS + 1 }, (_, i) => ({ name: `p${i}`, type: 'string', default: 'x' }))
    const outputs = Array.from({ length: MAX_OUTPUTS + 1 }, (_, i) => `o${i}`)
    const errors = validateGraphWorkflow({ name: 'w', components: [query('a', { params, outputs })], wires: [] }).errors
    expect(errors).toEqual([
      { component: 'a', field: 'components[0].params', message: `a: a query has at most ${MAX_QUERY_PARAMS} parameters` },
      { component: 'a', field: 'components[0].outputs', message: `a: a query has at most ${MAX_OUTPUTS} outputs` },
    ])
  })
})

describe('graph workflow validator on a component with very many outputs', () => {
  it('checks its wires without rereading its anchors per wire', () => {
    const outputs = Array.from({ length: 200_000 }, (_, i) => `o${i}`)
    const wires = Array.from({ length: MAX_WIRES }, () => ({ from: { component: 'a', anchor: 'nope' }, to: { component: 'b', anchor: 'p0' } }))
    const started = threadCpuMs()
    const v = validateGraphWorkflow({ name: 'w', components: [query('a', { outputs }), query('b')], wires })
    expect(v.errors[0]).toMatchObject({ field: 'components[0].outputs' })
    expect(v.errors).toHaveLength(MAX_ISSUES + 1)
    expect(threadCpuMs() - started).toBeLessThan(5_000) // rereading 200,000 anchors per wire took minutes
  })
})
