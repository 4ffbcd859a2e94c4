// atk15 finding (HIGH): a user granted nothing may keep any number of Rill Flow executions running (a
// suspense task waits for its wakeup without end unless its descriptor sets a timeout), and every
// running job is held in the engine's memory with all its tasks (engine.ts `active`). Nothing bounds
// them per user: MAX_QUEUED_JOBS_PER_USER counts jobs not yet started, MAX_KEPT_BYTES_PER_USER what
// jobs keep on disk (a tiny context counts a few bytes; a log not before the job ends), and a
// waiting task holds no slot of the user's share. So each submit of a descriptor of many waiting
// tasks adds its tasks to the heap for good. The test expects her submits to be refused before her
// waiting executions hold HEAP_BOUND of the process's heap. On main (3d29a678): 300 executions of
// 500 waiting suspense tasks in 9.0 s, never refused, her kept bytes 600; the heap grew 180.7 MiB
// (617 KiB an execution, heapUsed without a forced GC): ~20 MiB/s until the process runs out of memory.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

const MiB = 1024 * 1024
/** Waiting tasks a descriptor has (a descriptor may have 1,000). */
const TASKS = 500
/** Executions she submits at most. */
const MAX_JOBS = 300
const HEAP_BOUND = 128 * MiB

const suite = appSuite('eve')
let t: TestApp
let eve: TestUser
beforeAll(() => ({ t, users: { eve } } = suite))

const DESCRIPTOR = `workspace: eves\ndagName: waits\ntype: flow\ntasks:\n${Array.from(
  { length: TASKS },
  (_, i) => `  - {category: suspense, name: w${i}, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}`,
).join('\n')}\n`

const heap = () => process.memoryUsage().heapUsed

describe("a user's executions that wait without end", () => {
  it('are bounded: her submits are refused before they hold HEAP_BOUND of memory', { timeout: 600_000 }, async () => {
    const added = await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=waits&alias=release', DESCRIPTOR, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const before = heap()
    const started = Date.now()
    let jobs = 0
    let refused: { status: number; body: unknown } | null = null
    let last = ''
    while (jobs < MAX_JOBS) {
      const r = await eve.call('POST', '/flow/submit.json?descriptor_id=eves:waits', {})
      if (r.status !== 200) {
        refused = { status: r.status, body: r.body }
        break
      }
      last = r.body.execution_id
      jobs++
    }
    // every task of the last one is waiting: the engine has made them all
    const end = Date.now() + 300_000
    for (;;) {
      const ret = (await eve.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(last)}&brief=false`)).body?.ret
      const waiting = Object.values((ret?.tasks ?? {}) as Record<string, { status: string }>).filter((x) => x.status === 'RUNNING').length
      if (waiting === TASKS || Date.now() > end) break
      await new Promise((ok) => setTimeout(ok, 200))
    }
    const running = t.app.store.db.prepare<[], number>("SELECT count(*) FROM jobs WHERE submitter = 'eve' AND status = 'running'").pluck().get()!
    const grown = heap() - before
    console.log(
      `eve has ${running} executions running (${running * TASKS} waiting tasks) after ${((Date.now() - started) / 1000).toFixed(1)} s; the heap grew ${(grown / MiB).toFixed(1)} MiB ` +
        `(${(grown / Math.max(running, 1) / 1024).toFixed(0)} KiB an execution); her kept bytes ${t.app.store.keptBytes.ofSubmitter('eve')}; refused: ${refused ? `${refused.status} ${JSON.stringify(refused.body).slice(0, 200)}` : 'never'}`,
    )
    expect(refused !== null || grown < HEAP_BOUND).toBe(true)
  })
})
