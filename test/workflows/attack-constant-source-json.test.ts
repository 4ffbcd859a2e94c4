// Attack (atk30) on the JSON container cap (shared/json-limits.ts MAX_JSON_CONTAINERS, MAX_JSON_DEPTH): a
// mapping's constant `source` (text not starting with `$`) is parsed as JSON each time the mapping runs
// (mappings.ts sourceValue → parseSource, JSON.parse with no checkJsonShape), on the main thread. A
// descriptor (1 MB, any loopback process) puts one in a foreach's sub-task, so it is parsed again for every
// item. add_descriptor takes both below (200), and measured in-process (load 16, other helpers' tests):
//  - 495,000 lists (1 MB, `[[[…]]]` 90 deep × 5,500) in a foreach of 6 items: the event loop held 7.9 s at
//    once, the execution took 39.6 s and SUCCEEDED;
//  - `[` × 300,000 then `]` × 300,000: the event loop held 3.3 s and the execution SUCCEEDED, though the
//    value is 3,000 times deeper than a context may nest (MAX_JSON_DEPTH 100).
// Expected (#9 §2): such a descriptor is refused naming the mapping (best: add_descriptor, with its line),
// or its runs never hold the event loop a second. A fix: checkJsonShape on constant sources (and
// defaultContext values: attack-default-context-json.test.ts) when the descriptor is read, where
// parseForStorage validates mappings; and parse each once (the descriptor is cached), copying per run.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor, passTask } from './support/foreach-descriptor'

const s = rillSuite()

const nest = '['.repeat(90) + ']'.repeat(90)
const sources = {
  wide: `[${Array.from({ length: 5_500 }, () => nest).join(',')}]`,
  deep: '['.repeat(300_000) + ']'.repeat(300_000),
}

const descriptor = (name: string, source: string) => foreachDescriptor('atk30', name, { tasks: passTask(`'${source}'`, '$.context.x') })

for (const [name, source] of Object.entries(sources)) {
  it(`a foreach whose sub-task maps a constant source of ${name === 'wide' ? '495,000 lists' : '300,000 levels'} is refused or never holds the event loop a second`, async () => {
    const add = await s.rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', descriptor(`const${name}`, source), 'text/plain')
    if (add.status !== 200) {
      expect(add.status).toBe(400)
      expect(JSON.stringify(add.body)).toMatch(/source|mapping/i)
      return
    }
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const id = await s.rill.submit(`atk30:const${name}`, { items: [1, 2, 3, 4, 5, 6] })
    const ret = await s.rill.finished(id, 180_000)
    delay.disable()
    const held = delay.max / 1e6
    // fails (load 16-18): wide held 7,906-9,144 ms, deep 1,908-3,301 ms; both SUCCEEDED
    expect(held, `${ret.dag_status}: the event loop held up to ${held.toFixed(0)} ms`).toBeLessThan(1000)
  }, 240_000)
}
