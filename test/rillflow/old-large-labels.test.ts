// Rill Flow executions stored before labels were bounded (atk29) may keep megabytes of them, mostly a
// completion callback: a rerun of one was refused (labels_too_large: the callback was copied into
// the new job's labels, past 64 KiB), and the console's execution list and the GES job center read
// every such row's labels for each page (filters by dialect, owner and graph parsed them; the list
// read them whole). A callback is now bounded at submit (16 KiB); a rerun leaves an old one that a
// submit would refuse out and says so in its log; the lists read no labels (an execution id is its
// job's name and uuid) and look the ones they filter on up in indexes (migration 026).
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { MAX_CALLBACK_BYTES } from '../../electron/workflows/rillflow/service'
import { waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { rillSuite, type RillSuite } from '../workflows/support/rill-suite'
import { consoleLogin, type ConsoleClient } from './support'

const DESCRIPTOR = 'workspace: old\ndagName: big\ntype: flow\ntasks:\n  - {category: pass, name: a, outputMappings: [{source: $.context.x, target: $.context.y}]}\n'
/** A CallbackConfig a submit takes (nothing listens on port 9: its sending fails, logged). */
const SMALL_CALLBACK = JSON.stringify({ resourceName: 'http://127.0.0.1:9/done' })
/** A CallbackConfig of 3.5 MB, as one could be kept before the bounds. */
const HUGE_CALLBACK = JSON.stringify({ resourceName: `http://127.0.0.1:9/done?pad=${'p'.repeat(3_500_000)}` })

const suite = rillSuite({ sampleExecutor: false, token: true }) // with a second user, a Rill Flow call needs a token
let t: TestApp
let rill: RillSuite['rill']
let bob: ConsoleClient
beforeAll(async () => {
  ;({ t, rill } = suite)
  bob = await consoleLogin(t, 'bob', (await addUser(t, 'bob')).password)
  await rill.addDescriptor(DESCRIPTOR)
}, 60_000)

/** An execution of old:big submitted as the admin, finished, then given `labels` as a row stored before the bounds. */
async function oldExecution(labels: Record<string, string>): Promise<{ jobId: number; executionId: string }> {
  const executionId = await rill.submit('old:big', { x: 1 })
  await rill.finished(executionId)
  const job = t.app.workflows.execution(executionId).job
  t.app.store.db.prepare('UPDATE jobs SET labels = ? WHERE id = ?').run(JSON.stringify({ ...job.labels, ...labels }), job.id)
  return { jobId: job.id, executionId }
}

const leftOutLines = async (jobId: number): Promise<string[]> => {
  const logs = await t.call('GET', `/api/v1/jobs/${jobId}/logs?limit=200`)
  expect(logs.status).toBe(200)
  return (logs.body.lines as { level: string; text: string }[]).filter((l) => l.text.includes('left out')).map((l) => `${l.level} ${l.text}`)
}

describe('a completion callback', () => {
  it('is refused at submit past 16 KiB, naming the field', () => {
    const caller = { username: 'admin', isAdmin: true } as Parameters<typeof t.app.workflows.submit>[0]['caller']
    const callback = JSON.stringify({ resourceName: `http://127.0.0.1:9/done?pad=${'p'.repeat(MAX_CALLBACK_BYTES)}` })
    expect(() => t.app.workflows.submit({ descriptorId: 'old:big', context: {}, caller, callback })).toThrow(
      expect.objectContaining({ kind: 'invalid', field: 'callback', message: `callback: ${Buffer.byteLength(callback).toLocaleString('en')} bytes, more than the 16,384 a callback may have` }),
    )
    expect(MAX_CALLBACK_BYTES).toBe(16 * 1024)
  })
})

describe('a rerun of an execution stored before the bounds', () => {
  it('runs without a callback past them, saying so in its log; one within them is kept', async () => {
    const old = await oldExecution({ callback: HUGE_CALLBACK })
    const rerun = await t.call('POST', `/api/v1/jobs/${old.jobId}/rerun`)
    expect(rerun.status).toBe(201) // was 400 labels_too_large
    const again = (await waitForStatus(t, rerun.body.id, ['succeeded', 'failed'])) as { status: string; labels: Record<string, string> }
    expect(again.status).toBe('succeeded')
    expect(again.labels.callback).toBeUndefined()
    expect(again.labels.rerunOf).toBe(String(old.jobId))
    expect(await leftOutLines(rerun.body.id)).toEqual([
      `WARN rerun of job ${old.jobId}: its completion callback was left out (callback: ${Buffer.byteLength(HUGE_CALLBACK).toLocaleString('en')} bytes, more than the 16,384 a callback may have)`,
    ])

    const fine = await oldExecution({ callback: SMALL_CALLBACK })
    const kept = await t.call('POST', `/api/v1/jobs/${fine.jobId}/rerun`)
    expect(kept.status).toBe(201)
    const keptJob = (await waitForStatus(t, kept.body.id, ['succeeded', 'failed'])) as { labels: Record<string, string> }
    expect(keptJob.labels.callback).toBe(SMALL_CALLBACK)
    expect(await leftOutLines(kept.body.id)).toEqual([])
  }, 60_000)
})

describe('lists over executions stored before the bounds', () => {
  it('list them without reading their labels: the console’s executions, the API’s, the GES job center by owner and graph', async () => {
    const db = t.app.store.db
    // 20 executions of 3.5 MB labels each, bob's (run as him) and on graph g1, among the others
    const add = db.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES (?, 'workflow', 'old:big', 'succeeded', 'admin', ?, ?, ?)`)
    const uuids: string[] = []
    db.transaction(() => {
      for (let i = 0; i < 20; i++) {
        uuids.push(randomUUID())
        const labels = { callback: HUGE_CALLBACK, dialect: 'rillflow', executionId: `old:big_c_${uuids[i]}`, executeUser: 'bob', graph: 'g1' }
        add.run(uuids[i], JSON.stringify(labels), Date.now(), Date.now())
      }
    })()

    const listed = async () => {
      const started = performance.now()
      const r = await bob.call('GET', '/flow/bg/get_execution_ids.json?current=1&pageSize=50')
      return { ms: performance.now() - started, r }
    }
    await listed() // warm: the route's first call
    const { ms, r } = await listed()
    expect(r.status).toBe(200)
    expect(r.body.total).toBe(20)
    const newestFirst = [...uuids].reverse().map((u) => `old:big_c_${u}`)
    expect(r.body.items.map((i: { execution_id: string }) => i.execution_id)).toEqual(newestFirst)
    // reading each row's 3.5 MB of labels took 1.8-14 s at load 10-20; reading none, 0.2 s (at load 9)
    expect(ms, `bob's execution list over 20 rows of 3.5 MB labels took ${ms.toFixed(0)} ms`).toBeLessThan(800)
    // the API's list of a descriptor's executions, alike
    const apiStarted = performance.now()
    const api = await rill.call('GET', '/flow/get_execution_ids.json?service_id=old:big&count=20')
    const apiMs = performance.now() - apiStarted
    expect(api.status).toBe(200)
    expect(api.body.execution_ids.map((e: { execution_id: string }) => e.execution_id)).toEqual(newestFirst)
    expect(apiMs, `get_execution_ids.json over 20 rows of 3.5 MB labels took ${apiMs.toFixed(0)} ms`).toBeLessThan(800)

    const searched = (q: Parameters<typeof t.app.store.jobCenter.search>[0]) => {
      const started = performance.now()
      const found = t.app.store.jobCenter.search(q)
      return { ms: performance.now() - started, found }
    }
    for (const q of [{ owner: 'bob', offset: 0, limit: 50 }, { graph: 'g1', offset: 0, limit: 50 }]) {
      const { ms: took, found } = searched(q)
      expect(found.total, JSON.stringify(q)).toBe(20)
      expect(took, `GES job center ${JSON.stringify(q)} over 20 rows of 3.5 MB labels took ${took.toFixed(0)} ms`).toBeLessThan(200)
    }
  }, 60_000)
})
