// A wide foreach's sub-contexts are gathered GATHER_BATCH groups a step, one deferred step after
// another, not in one pass over every group in the tick that also maps and saves them (#9 §2: a
// 100k-item run's longest turn).
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { TaskGroups } from '../../electron/engine/task-groups'
import type { GroupRow } from '../../electron/store/group.repository'
import { GATHER_BATCH, SubContextGathering } from '../../electron/workflows/rillflow/runtime/sub-context-gathering'
import { tempDir } from '../support/temp-store'
import { openRill } from './support/open-rill'
import { foreachDescriptor } from './support/foreach-descriptor'

const rows = (n: number): GroupRow[] => Array.from({ length: n }, (_, i) => ({ index: i, status: 'succeeded', context: { i } }))

describe('gathering sub-contexts', () => {
  it('reads at most `max` rows a step, in index order, until all are read', () => {
    const gathering = new SubContextGathering(new TaskGroups(1, 'f', rows(12), () => {}), 12)
    const steps: number[] = []
    while (!gathering.done) steps.push(gathering.step(5))
    expect(steps).toEqual([5, 5, 2])
    expect(gathering.result()).toEqual(rows(12).map((r) => r.context))
  })

  it('puts {} for a group skipped, without a row or without a sub-context, and refuses a result before the end', () => {
    const stored: GroupRow[] = [
      { index: 0, status: 'succeeded', context: { a: 1 } },
      { index: 1, status: 'skipped', context: { b: 2 } },
      { index: 3, status: 'succeeded', context: null },
    ]
    const gathering = new SubContextGathering(new TaskGroups(1, 'c', stored, () => {}), 4)
    expect(gathering.step(3)).toBe(3)
    expect(() => gathering.result()).toThrow('gathered 3 of 4 sub-contexts')
    expect(gathering.step(3)).toBe(1)
    expect(gathering.step(3)).toBe(0)
    expect(gathering.result()).toEqual([{ a: 1 }, {}, {}, {}])
  })
})

describe('a foreach wider than a gathering step', () => {
  it('maps every item’s result, in order, into the context', async () => {
    const file = join(tempDir(), 'jobdesk.db')
    const { store, engine, workflows } = openRill(file)
    try {
      const caller = { username: 'test', isAdmin: true }
      const { descriptorId } = workflows.addDescriptor({
        workspace: undefined,
        dagName: undefined,
        caller,
        text: foreachDescriptor('gather', 'wide', {
          name: 'f',
          output: ['{target: $.context.results, source: "$.output.sub_context.[*].doubled"}'],
          tasks: '[{category: pass, name: p, inputMappings: [{target: $.input.x, source: $.context.it}], outputMappings: [{target: $.context.doubled, source: $.output.x}]}]',
        }),
      })
      const items = Array.from({ length: 2 * GATHER_BATCH + 1 }, (_, i) => i) // three steps: two whole, one of one group
      const { job } = workflows.submit({ descriptorId, context: { items }, caller })
      expect((await engine.waitFor(job.id)).status).toBe('succeeded')
      expect(store.jobs.get(job.id)!.context!.results).toEqual(items)
    } finally {
      await engine.stop()
      store.close()
      rmSync(dirname(file), { recursive: true, force: true })
    }
  }, 60_000)
})
