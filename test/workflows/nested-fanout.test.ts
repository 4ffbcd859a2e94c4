// The whole size of a foreach with foreaches nested in its groups, counted at its start without building
// anything (electron/workflows/rillflow/runtime/nested-fanout.ts; the served behaviour is in
// test/http/held-work-foreach-nested.test.ts).
import { describe, expect, it } from 'vitest'
import type { ForeachTask, Mapping, Task } from '../../electron/workflows/rillflow/descriptor/types'
import { NESTED_EVALUATIONS, weighForeach } from '../../electron/workflows/rillflow/runtime/nested-fanout'

const pass = (name: string, o: Partial<Task> = {}) => ({ category: 'pass', name, ...o }) as Task
/** A foreach `name` whose input `list` is what `source` reads (through `transform` when given), over `$.input.list` with item `item`. */
const foreach = (name: string, source: string, tasks: Task[], o: { item?: string; index?: string; transform?: string; more?: Mapping[] } = {}) =>
  ({
    category: 'foreach',
    name,
    inputMappings: [{ target: '$.input.list', source, ...(o.transform ? { transform: o.transform } : {}) }, ...(o.more ?? [])],
    iterationMapping: { collection: '$.input.list', item: o.item ?? 'it', ...(o.index ? { index: o.index } : {}) },
    tasks,
  }) as ForeachTask
const range = (n: number) => Array.from({ length: n }, (_, i) => i)
/** Weighs `outer` over `items`, its input holding `inner` beside them. */
const weigh = (outer: ForeachTask, items: unknown[], inner: unknown = undefined, room = 1_000_000) => weighForeach(outer, { list: items, inner }, items, room)

describe('weighForeach', () => {
  it('counts a plain foreach as its items x its tasks, naming no shape', () => {
    expect(weigh(foreach('fe', '$.context.items', [pass('a'), pass('b')]), range(100_000))).toEqual({ tasks: 200_000 })
  })

  it('counts an inner collection read from the context once, for every group, at any depth', () => {
    const leaf = foreach('in2', '$.context.deep', [pass('z')])
    const mid = foreach('in', '$.context.inner', [pass('y'), leaf], { item: 'x', more: [{ target: '$.input.deep', source: '$.context.deep' }] })
    const outer = foreach('fe', '$.context.items', [pass('a'), mid], { more: [{ target: '$.input.deep', source: '$.context.deep' }] })
    const r = weighForeach(outer, { list: range(2), inner: range(3), deep: range(4) }, range(2), 1_000)
    expect(r.tasks).toBe(2 * 2 + 2 * 3 * 2 + 2 * 3 * 4 * 1)
    expect(r.shape).toEqual({ words: '2 items x 2 tasks + 2 items x 3 items x 2 tasks + 2 items x 3 items x 4 items x 1 task', atLeast: false })
  })

  it('counts a collection read from each item item by item, and an empty one as no groups', () => {
    const outer = foreach('fe', '$.context.items', [foreach('in', '$.context.it.kids', [pass('a'), pass('b')])])
    const items = [{ kids: range(5) }, { kids: [] }, {}, { kids: range(20) }]
    expect(weigh(outer, items)).toEqual({ tasks: 4 + 25 * 2, shape: { words: '4 items x 1 task + 50 tasks in the groups of foreach in, whose collections vary by item', atLeast: false } })
    // by the index too
    const byIndex = foreach('fe', '$.context.items', [foreach('in', '$.context.sizes[0]', [pass('a')])], { index: 'sizes' })
    expect(weigh(byIndex, range(3)).tasks).toBe(3) // `sizes` is the index (a number): no list, no groups
  })

  it('stops counting once the room is passed', () => {
    const outer = foreach('fe', '$.context.items', [foreach('in', '$.context.it.kids', [pass('a')])])
    const r = weigh(outer, range(1_000).map(() => ({ kids: range(100) })), undefined, 5_000)
    expect(r.tasks).toBe(5_100) // 1,000 + 41 items of 100: the first count past 5,000
    expect(r.shape?.words).toBe('1,000 items x 1 task + 4,100 tasks in the groups of foreach in, whose collections vary by item')
    expect(r.shape?.atLeast).toBe(true)
  })

  it('caps its own work: 100,000 items each with a collection of 100,000 are not all read, and none is copied', () => {
    const kids = range(100_000)
    const items = Array.from({ length: 100_000 }, () => ({ kids })) // shared: a 10^10-item nest in a few MB
    const outer = foreach('fe', '$.context.items', [foreach('in', '$.context.it.kids', [pass('a'), pass('b')])])
    weigh(outer, items.slice(0, 100), undefined, 1e15) // compiled and warm, as in a running app
    const began = performance.now()
    const cpu = process.cpuUsage()
    const r = weigh(outer, items, undefined, 1e15)
    const took = performance.now() - began
    const { user, system } = process.cpuUsage(cpu)
    console.log(`100,000 x 100,000 by item, no bound in reach: ${r.tasks} tasks counted in ${took.toFixed(1)} ms, ${((user + system) / 1000).toFixed(1)} ms of CPU (${NESTED_EVALUATIONS} inner inputs)`)
    // past NESTED_EVALUATIONS inner inputs the rest weigh their plainly read inner lists' lengths only
    expect(r.tasks).toBe(100_000 + 100_000 * 200_000)
    expect(r.shape?.atLeast).toBe(true)
    expect(took).toBeLessThan(500)
    // against a bound it stops at once
    const bounded = weigh(outer, items, undefined, 1_000_000)
    expect(bounded.tasks).toBe(100_000 + 5 * 200_000)
  })

  it('past its cap, weighs the rest by their plainly read inner lists, and says "at least" when it cannot', () => {
    const empties = range(NESTED_EVALUATIONS).map(() => ({ kids: [], k: { l: [] } }))
    const fulls = range(10).map(() => ({ kids: range(7), k: { l: range(7) } }))
    const items = [...empties, ...fulls]
    for (const source of ["$.context.it['kids']", '$.context.it.k["l"]']) {
      const r = weigh(foreach('fe', '$.context.items', [foreach('in', source, [pass('a'), pass('b')])]), items)
      expect(r.tasks, source).toBe(items.length + 10 * 7 * 2)
      expect(r.shape?.atLeast).toBe(true)
    }
    // a read that is not plain (a wildcard, a filter, a deep scan) leaves the rest to their starts, and says so
    const r = weigh(foreach('fe', '$.context.items', [foreach('in', '$.context.it.kids[*]', [pass('a')])]), items)
    expect(r.tasks).toBe(items.length)
    expect(r.shape).toEqual({ words: `${items.length} items x 1 task`, atLeast: true })
  })

  it('leaves to its start an inner foreach whose collection a transform makes, or another task of the group writes', () => {
    const transformed = foreach('fe', '$.context.items', [foreach('in', '$.context.inner', [pass('a')], { transform: 'return source;' })])
    expect(weigh(transformed, range(10), range(10))).toEqual({ tasks: 10 })
    const written = foreach('fe', '$.context.items', [pass('mk', { outputMappings: [{ target: '$.context.inner', source: '$.output.x' }] }), foreach('in', '$.context.inner', [pass('a')])])
    expect(weigh(written, range(10), range(10))).toEqual({ tasks: 20 })
    const anywhere = foreach('fe', '$.context.items', [pass('mk', { inputMappings: [{ target: '$..inner', source: '$.context.x' }] }), foreach('in', '$.context.inner', [pass('a')])])
    expect(weigh(anywhere, range(10), range(10))).toEqual({ tasks: 20 })
    // a task writing another key does not
    const other = foreach('fe', '$.context.items', [pass('mk', { outputMappings: [{ target: '$.context.other', source: '$.output.x' }] }), foreach('in', '$.context.inner', [pass('a')])])
    expect(weigh(other, range(10), range(10)).tasks).toBe(20 + 100)
  })

  it('counts a constant collection', () => {
    const outer = foreach('fe', '$.context.items', [foreach('in', '[1, 2, 3]', [pass('a')])])
    expect(weigh(outer, range(10)).tasks).toBe(10 + 30)
  })
})
