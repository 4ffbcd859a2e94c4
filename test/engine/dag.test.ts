import { describe, expect, it } from 'vitest'
import { Dag } from '../../electron/engine/dag'
import { AppError } from '../../shared/errors'

const node = (name: string, ...dependsOn: string[]) => ({ name, dependsOn })

describe('Dag', () => {
  it('knows who waits for whom', () => {
    //  a ──► b ──► d
    //   └──► c ───┘
    const dag = new Dag([node('a'), node('b', 'a'), node('c', 'a'), node('d', 'b', 'c')])
    expect(dag.dependents.get('a')).toEqual(['b', 'c'])
    expect(dag.dependents.get('d')).toEqual([])
  })

  it('rejects a cycle, naming it', () => {
    //  a ──► b ──► c ──► a
    expect(() => new Dag([node('a', 'c'), node('b', 'a'), node('c', 'b')])).toThrow(/cycle found: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/)
  })

  it('rejects unknown dependencies and duplicate names as user errors', () => {
    const unknown = (() => {
      try {
        new Dag([node('a', 'zz')])
      } catch (e) {
        return e
      }
    })() as AppError
    expect(unknown).toBeInstanceOf(AppError)
    expect(unknown.kind).toBe('invalid')
    expect(unknown.message).toBe('task "a" depends on unknown task "zz"')
    expect(() => new Dag([node('a'), node('a')])).toThrow('task name "a" is used twice')
  })

  it('handles a 100k-long chain without overflowing the stack', () => {
    const nodes = Array.from({ length: 100_000 }, (_, i) => node(`t${i}`, ...(i ? [`t${i - 1}`] : [])))
    expect(new Dag(nodes).dependents.size).toBe(100_000)
  })
})
