// The run grid over wide foreach runs (#9.2, #13.3): it reads states, times and routes only and sums
// them up per row in SQL, and keeps finished runs' cells. It read every task whole and summed them on
// the main thread: one run of a 20,000-item foreach answered in 1.75 s, and a page of 20 such runs
// held the server for half a minute. Here the work is counted (rows of the tasks table the server's
// statements hand to JavaScript); the time and the status probe are workflow-grid-wide.probe.test.ts's.
import type { Statement } from 'better-sqlite3'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { TestApp } from '../support/app'
import { rillSuite, type RillSuite } from '../workflows/support/rill-suite'
import { finishRun, runWideForeach } from './wide-foreach-runs'

const ITEMS = 20_000
const suite = rillSuite({ sampleExecutor: false, app: { concurrency: 16 }, token: true })
let t: TestApp
let rill: RillSuite['rill']

beforeAll(async () => {
  ;({ t, rill } = suite)
  await runWideForeach(rill, 2, ITEMS)
}, 600_000)
afterEach(() => vi.restoreAllMocks()) // the files of this worker share better-sqlite3's module (isolate: false)

/**
 * Calls `work` counting the rows that statements over the tasks table return (all, get, iterate)
 * meanwhile; not the jobs list's, which reads jobs (and counts their tasks).
 */
async function taskRowsRead<T>(work: () => Promise<T>): Promise<{ result: T; rows: number; calls: number }> {
  const proto = Object.getPrototypeOf(t.app.store.db.prepare('SELECT 1')) as Statement
  let rows = 0
  let calls = 0
  const count = (stmt: Statement, n: number) => {
    if (!/\bFROM tasks\b/.test(stmt.source) || /\bFROM jobs\b/.test(stmt.source)) return
    calls++
    rows += n
  }
  const all = proto.all
  const get = proto.get
  const iterate = proto.iterate
  vi.spyOn(proto, 'all').mockImplementation(function (this: Statement, ...args: unknown[]) {
    const r = all.apply(this, args)
    count(this, r.length)
    return r
  })
  vi.spyOn(proto, 'get').mockImplementation(function (this: Statement, ...args: unknown[]) {
    const r = get.apply(this, args)
    count(this, r === undefined ? 0 : 1)
    return r
  })
  vi.spyOn(proto, 'iterate').mockImplementation(function* (this: Statement, ...args: unknown[]) {
    for (const r of iterate.apply(this, args)) {
      count(this, 1)
      yield r
    }
  })
  try {
    return { result: await work(), rows, calls }
  } finally {
    vi.restoreAllMocks()
  }
}

describe('run grid of wide foreach runs', () => {
  it('answers two runs of a 20,000-item foreach from sums made in SQL, and a second time from the cells it kept', async () => {
    const grid = () => t.call('GET', '/api/v1/workflows/grid?workspace=wide&name=f20k')
    const cold = await taskRowsRead(grid)
    expect(cold.result.status).toBe(200)
    expect(cold.result.body.tasks).toEqual(['f', 'f/p'])
    for (const run of cold.result.body.runs) {
      expect(run.tasks.find((c: { name: string }) => c.name === 'f/p')).toMatchObject({ parent: 'f', status: 'succeeded', instances: ITEMS, open: 'f_0-p' })
    }
    // 40,000 tasks in all, summed by SQLite per (group, sub-task, status) 2,000 at a time: a few
    // rows a step reach JavaScript (reading the tasks whole handed it all 40,002)
    const seen = `${cold.rows} rows of tasks in ${cold.calls} statement calls`
    expect(cold.rows, seen).toBeLessThan(ITEMS / 20)
    expect(cold.calls, seen).toBeLessThan(ITEMS / 100)

    const warm = await taskRowsRead(grid) // finished runs' cells are kept: no task is read again
    expect(warm.rows).toBe(0)
    expect(warm.result.body).toEqual(cold.result.body)
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
    await finishRun(rill, await rill.submit('wide:nest', { rows: [[1, 2], [3, 4], [5, 6]] }))
    const { body } = await t.call('GET', '/api/v1/workflows/grid?workspace=wide&name=nest')
    expect(body.tasks).toEqual(['outer', 'outer/inner', 'outer/inner/leaf'])
    const cells = Object.fromEntries(body.runs[0].tasks.map((c: { name: string }) => [c.name, c]))
    expect(cells['outer']).toMatchObject({ status: 'succeeded' })
    expect(cells['outer/inner']).toMatchObject({ parent: 'outer', status: 'succeeded', instances: 3, open: 'outer_0-inner' })
    expect(cells['outer/inner/leaf']).toMatchObject({ parent: 'outer/inner', status: 'succeeded', instances: 6, open: 'outer_0-inner_0-leaf' })
  }, 60_000)
})
