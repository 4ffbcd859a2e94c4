// Attack (atk32) on the constant-source fix of atk30 (mappings.ts: constants checked with checkJsonShape at
// add_descriptor and parsed once, cached by text): checkJsonShape bounds depth and the number of lists
// and maps, not the keys of one map. A constant of ONE map with ~95,000 keys (0.95 MB, 1 container) is
// accepted, and although it is parsed once, every run of the mapping still copies it whole (applyRule ->
// PassBudget.copyFor; the copy of a map of many keys is the slowest per element, value-budget.ts
// copyContainers). In a foreach's sub-task that copy happens once per item, all in one turn of the event
// loop. Measured in-process (load 13-17): one pass 0.5 s with the constant cached (1.4 s parsed); a
// foreach of 6 held the event loop 2.4 s at once (load 12) and SUCCEEDED: what the atk30 fix meant to end (#9 §2).
// Where a fix belongs: count a map's keys with its containers (shared/json-limits.ts checkJsonShape /
// countJsonContainers, so add_descriptor refuses such a constant), or share the cached constant
// read-only instead of copying it per run (copy on write), or bound a foreach start's copies together.
// Fixed (#9): the cached constant is frozen and written as it is, copied on write (value-budget.ts
// shareReadOnly, jsonpath/write.ts); add_descriptor parses it in the JSON worker (warmConstant); a
// group's touched sub-context counts against the engine tick (saveCharge); the items' sub-task specs
// share one definition, serialized and stored once per execution (runtime/task-specs.ts expandTask,
// store/jobs/task-rows.ts, migration 027 task_spec_parts). A map of 200,001 keys is refused outright (MAX_JSON_KEYS).
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor, passTask, wideMap } from './support/foreach-descriptor'

const s = rillSuite()

const descriptor = (source: string) => foreachDescriptor('atk32', 'widemap', { tasks: passTask(`'${source}'`, '$.context.x') })

it('a foreach whose sub-task maps a constant source of one map of 95,000 keys is refused or never holds the event loop a second', async () => {
  // 950,020: keys while the text is under 950,000 characters (wideMap stops 20 short)
  const add = await s.rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', descriptor(wideMap(950_020)), 'text/plain')
  if (add.status !== 200) {
    expect(add.status).toBe(400)
    expect(JSON.stringify(add.body)).toMatch(/source|mapping/i)
    return
  }
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const id = await s.rill.submit('atk32:widemap', { items: [1, 2, 3, 4, 5, 6] })
  const ret = await s.rill.finished(id, 180_000)
  delay.disable()
  const held = delay.max / 1e6
  console.log(`${ret.dag_status}: the event loop held up to ${held.toFixed(0)} ms`)
  expect(held, `${ret.dag_status}: the event loop held up to ${held.toFixed(0)} ms`).toBeLessThan(1000)
}, 240_000)
