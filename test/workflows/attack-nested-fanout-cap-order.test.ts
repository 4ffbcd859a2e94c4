// Attack (#9, runtime/nested-fanout.ts weighForeach): the estimate of a foreach's nested fan-out at its
// start reads the inner collections of its first NESTED_EVALUATIONS (500) items only, and weighs every
// later item's inner foreach as one task. Items ordered cheap first pass the start check whatever the
// rest hold: 500 items with empty inner lists, then 500 with 300 each, weigh 1,000 tasks against a room
// of 120,000 (MAX_HELD_WORK_PER_USER.tasks), while the groups add 151,000. The foreach is accepted and
// reserved; its inner foreaches start and run their groups (real calls for function tasks) until one
// passes the bound and the job is failed midway, which is what weighing nested foreaches at the outer's
// start was for (attack 7dafa13c, 40 x 40 inner foreaches).
// FAILS on the current code: weighForeach answers { tasks: 1000 } with no shape at all (the 500 read
// added no term, so not even shape.atLeast says the count is partial). Likely fix: once the cap stops the estimate with items left, weigh the
// rest from what was read (e.g. the largest inner size seen, or refuse when the rest could pass the
// room), or read the rest's collection lengths only (no sub-context), which is cheap.
import { describe, expect, it } from 'vitest'
import type { ForeachTask, Task } from '../../electron/workflows/rillflow/descriptor/types'
import { NESTED_EVALUATIONS, weighForeach } from '../../electron/workflows/rillflow/runtime/nested-fanout'
import { MAX_HELD_WORK_PER_USER } from '../../shared/quotas'

const pass = (name: string) => ({ category: 'pass', name }) as Task
const foreach = (name: string, source: string, tasks: Task[]) =>
  ({ category: 'foreach', name, inputMappings: [{ target: '$.input.list', source }], iterationMapping: { collection: '$.input.list', item: 'it' }, tasks }) as ForeachTask
const range = (n: number) => Array.from({ length: n }, (_, i) => i)

describe('attack: the nested fan-out estimate reads the first 500 items only', () => {
  it('an outer foreach whose big inner lists come after the first 500 items is weighed past the room', () => {
    const room = MAX_HELD_WORK_PER_USER.tasks
    const outer = foreach('fe', '$.context.items', [foreach('in', '$.context.it.kids', [pass('a')])])
    const big = range(300)
    const items = [...range(NESTED_EVALUATIONS).map(() => ({ kids: [] })), ...range(500).map(() => ({ kids: big }))]
    const actual = items.length + 500 * 300
    const r = weighForeach(outer, { list: items }, items, room)
    console.log(`weighed ${r.tasks} tasks (atLeast ${r.shape?.atLeast}) of ${actual} against a room of ${room}`)
    expect(actual).toBeGreaterThan(room)
    expect(r.tasks).toBeGreaterThan(room)
  })
})
