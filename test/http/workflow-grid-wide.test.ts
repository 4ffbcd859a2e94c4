// The run grid over wide foreach runs (#9.2, #13.3): it reads states, times and routes only and sums
// them up per row in SQL, and keeps finished runs' cells. It read every task whole and summed them on
// the main thread: one run of a 20,000-item foreach answered in 1.75 s, and a page of 20 such runs
// held the server for half a minute.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { probeWhile } from '../support/served-process'
import { rillClient } from '../workflows/support/rill-client'

const ITEMS = 20_000
let t: TestApp
let rill: ReturnType<typeof rillClient>

async function finish(id: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const ret = await rill.get(id, true)
    if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return
    await new Promise((r) => setTimeout(r, 500))
  }
}

beforeAll(async () => {
  t = await startTestApp({ concurrency: 16 })
  rill = rillClient(t.url, t.token)
  await rill.addDescriptor(`workspace: wide\ndagName: f20k\ntype: flow\ntasks:
  - category: foreach
    name: f
    inputMappings: [{target: $.input.items, source: $.context.items}]
    iterationMapping: {collection: $.input.items, item: item}
    tasks:
      - {category: pass, name: p}
`)
  for (let run = 0; run < 2; run++) await finish(await rill.submit('wide:f20k', { items: Array.from({ length: ITEMS }, (_, i) => i) }))
}, 600_000)
afterAll(() => t?.close())

describe('run grid of wide foreach runs', () => {
  it('answers two runs of a 20,000-item foreach while a status probe keeps answering in under 200 ms', async () => {
    // The server runs in this process: how long its event loop was held is how long a probe waits.
    const held = monitorEventLoopDelay({ resolution: 10 })
    held.enable()
    const { result: cold, probe } = await probeWhile(
      t,
      async () => {
        const started = performance.now()
        const res = await t.call('GET', '/api/v1/workflows/grid?workspace=wide&name=f20k')
        return { res, ms: performance.now() - started }
      },
      5,
    )
    await new Promise((r) => setTimeout(r, 30)) // a hold is recorded when the loop turns again
    held.disable()
    expect(cold.res.status).toBe(200)
    expect(probe.failures).toEqual([])
    expect(held.max / 1e6).toBeLessThan(200) // the server's own loop, as a served process's stall lines would say
    expect(cold.ms).toBeLessThan(1000)
    expect(cold.res.body.tasks).toEqual(['f', 'f/p'])
    for (const run of cold.res.body.runs) {
      expect(run.tasks.find((c: { name: string }) => c.name === 'f/p')).toMatchObject({ parent: 'f', status: 'succeeded', instances: ITEMS, open: 'f_0-p' })
    }

    const started = performance.now() // finished runs' cells are kept
    const warm = await t.call('GET', '/api/v1/workflows/grid?workspace=wide&name=f20k')
    expect(performance.now() - started).toBeLessThan(300)
    expect(warm.body).toEqual(cold.res.body)
  }, 120_000)

  it('gives a foreach inside a foreach one row per level, its items summed over every outer item', async () => {
    await rill.addDescriptor(`workspace: wide\ndagName: nest\ntype: flow\ntasks:
  - category: foreach
    name: outer
    inputMappings: [{target: $.input.rows, source: $.context.rows}]
    iterationMapping: {collection: $.input.rows, item: row}
    tasks:
      - category: foreach
        name: inner
        inputMappings: [{target: $.input.cells, source: $.context.row}]
        iterationMapping: {collection: $.input.cells, item: cell}
        tasks:
          - {category: pass, name: leaf}
`)
    await finish(await rill.submit('wide:nest', { rows: [[1, 2], [3, 4], [5, 6]] }))
    const { body } = await t.call('GET', '/api/v1/workflows/grid?workspace=wide&name=nest')
    expect(body.tasks).toEqual(['outer', 'outer/inner', 'outer/inner/leaf'])
    const cells = Object.fromEntries(body.runs[0].tasks.map((c: { name: string }) => [c.name, c]))
    expect(cells['outer']).toMatchObject({ status: 'succeeded' })
    expect(cells['outer/inner']).toMatchObject({ parent: 'outer', status: 'succeeded', instances: 3, open: 'outer_0-inner' })
    expect(cells['outer/inner/leaf']).toMatchObject({ parent: 'outer/inner', status: 'succeeded', instances: 6, open: 'outer_0-inner_0-leaf' })
  }, 60_000)
})
