// The app in its own process under hostile workflow input (#9 §1, §2): it never exits, a status
// probe answers in under 200 ms while each input is processed, and after kill -9 it starts again
// on the same data and answers (the bad state of before a fix ended every restart).
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../electron/store'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { rillClient } from './support/rill-client'

const app = servedProcessSuite()
let rill: ReturnType<typeof rillClient>
beforeAll(() => {
  rill = rillClient(app.url)
})

const head = (name: string) => `workspace: hostile\ndagName: ${name}\ntype: flow\n`
const add = (yaml: string) => rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')
const alive = () => app.child.exitCode === null && app.child.signalCode === null

/** Polls get.json (brief, four times a second, as a client watching a long run would) until the DAG ends. */
async function finished(executionId: string, timeoutMs: number): Promise<any> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const ret = await rill.get(executionId, true)
    if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return ret
    if (Date.now() > end) throw new Error(`execution still ${ret.dag_status} (${ret.process}%)`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

/** Runs `work` while probing; the process must live and every probe answer within the limit. */
async function underProbe<T>(work: () => Promise<T>): Promise<T> {
  const { result, probe } = await probeWhile(app, work)
  expect(probe.count).toBeGreaterThan(0)
  expectResponsive(probe)
  expect(alive()).toBe(true)
  return result
}

describe('hostile workflow input, the app in its own process', () => {
  it('a transform that makes the context circular fails its task; the process lives (it exited, and on every restart)', async () => {
    const yaml = `${head('circular')}tasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: $.context.x, source: "1", transform: "seq.put(context, 'self', context); return 1;", tolerance: false}\n`
    const ret = await underProbe(async () => {
      expect((await add(yaml)).status).toBe(200)
      return rill.finished(await rill.submit('hostile:circular', {}))
    })
    expect(ret.dag_status).toBe('FAILED')
    expect(JSON.stringify(ret.tasks)).toMatch(/read-only/)
  })

  it('a completion callback URL that does not parse is refused at submit; one whose mapping throws is logged', async () => {
    await underProbe(async () => {
      expect((await add(`${head('cb')}tasks:\n  - {category: pass, name: a}\n`)).status).toBe(200)
      const callback = encodeURIComponent(JSON.stringify({ resourceName: 'http://127.0.0.1:99999/' }))
      const r = await rill.call('POST', `/flow/submit.json?descriptor_id=hostile:cb&callback=${callback}`, {})
      expect(r.status).toBe(400)
      const throwing = encodeURIComponent(
        JSON.stringify({ resourceName: 'http://127.0.0.1:9/', inputMappings: [{ source: '1', target: '$.input.y', transform: '1 / 0', tolerance: false }] }),
      )
      const ok = await rill.call('POST', `/flow/submit.json?descriptor_id=hostile:cb&callback=${throwing}`, {})
      expect(ok.status).toBe(200)
      expect((await rill.finished(ok.body.execution_id)).dag_status).toBe('SUCCEED')
      await new Promise((r) => setTimeout(r, 300)) // the callback runs after the end
    })
  })

  it('a catastrophic-backtracking filter on a long string (17 s for 31 characters before)', async () => {
    const yaml = `${head('redos')}tasks:\n  - category: return\n    name: a\n    inputMappings: [{target: $.input.s, source: $.context.s}]\n    conditions: ['$.input[?(@.s =~ /^(a+)+$/)]']\n`
    const ret = await underProbe(async () => {
      expect((await add(yaml)).status).toBe(200)
      return rill.finished(await rill.submit('hostile:redos', { s: `${'a'.repeat(100_000)}!` }))
    })
    expect(ret.dag_status).toBe('SUCCEED')
  })

  it('a 469-byte descriptor of YAML aliases is refused at once (stored as 230 MB before)', async () => {
    let yaml = `${head('aliases')}defaultContext:\n  x0: &x0 {k: "${'a'.repeat(75)}"}\n`
    for (let i = 1; i < 20; i++) yaml += `  x${i}: &x${i} [*x${i - 1}, *x${i - 1}]\n`
    yaml += 'tasks:\n  - {category: pass, name: a}\n'
    const r = await underProbe(() => add(yaml))
    expect(r.status).toBe(400)
    expect(r.body.error).toMatch(/through alias \*x\d+ \(line \d+\)/)
  })

  it('an Aviator value built by aliasing lists fails its task (34 s before)', async () => {
    const script = 'let a = seq.list(1); for i in range(0, 40) { a = seq.list(a, a); } return a;'
    const yaml = `${head('aliasing')}tasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: $.context.x, source: "1", transform: "${script}", tolerance: false}\n`
    const ret = await underProbe(async () => {
      expect((await add(yaml)).status).toBe(200)
      return rill.finished(await rill.submit('hostile:aliasing', {}))
    })
    expect(ret.dag_status).toBe('FAILED')
    expect(JSON.stringify(ret.tasks)).toMatch(/more than 1000000 elements/)
  })

  it('a foreach that starts itself as a sub-flow stops at its budget', async () => {
    const yaml = `${head('recursive')}tasks:\n  - category: foreach\n    name: f\n    inputMappings: [{target: $.input.items, source: "[${Array.from({ length: 20 }, (_, i) => i).join(',')}]"}]\n    iterationMapping: {collection: $.input.items, item: item}\n    tasks:\n      - {category: function, name: s, pattern: flow_sync, resourceName: "rillflow://hostile:recursive"}\n`
    const ret = await underProbe(async () => {
      expect((await add(yaml)).status).toBe(200)
      return finished(await rill.submit('hostile:recursive', {}), 60_000)
    })
    expect(ret.dag_status).toBe('FAILED')
    const count = await rill.call('GET', '/flow/get_execution_count.json?service_id=hostile:recursive')
    const all = Object.values(count.body.dag as Record<string, number>).reduce((a, b) => a + b, 0)
    expect(all).toBe(257) // the root and its 256: 421 before
  }, 90_000)

  it('a wide foreach runs in batches (10k items: 4-5 s without an answer before); kill -9 in the middle of another, and the restart resumes it', async () => {
    const yaml = `${head('wide')}tasks:\n  - category: foreach\n    name: f\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: item}\n    tasks:\n      - {category: pass, name: p}\n`
    const items = Array.from({ length: 5_000 }, (_, i) => i)
    const ret = await underProbe(async () => {
      expect((await add(yaml)).status).toBe(200)
      return finished(await rill.submit('hostile:wide', { items }), 240_000)
    })
    expect(ret.dag_status).toBe('SUCCEED')

    const second = await rill.submit('hostile:wide', { items })
    await expect
      .poll(async () => { const r = await rill.get(second, true); return r.dag_status === 'RUNNING' && r.process > 0 }, { timeout: 60_000, interval: 50 })
      .toBe(true)
    await app.kill('SIGKILL') // in the middle: some groups done, others not started
    await app.start()
    rill = rillClient(app.url)
    const resumed = await underProbe(() => finished(second, 240_000))
    expect(resumed.dag_status).toBe('SUCCEED')
  }, 600_000)

  it('after kill -9 the app starts on the same data and answers; a job it cannot resume is failed with the reason', async () => {
    expect((await add(`${head('waits')}tasks:\n  - {category: suspense, name: a, conditions: ['$.input.never']}\n`)).status).toBe(200)
    const waiting = await rill.submit('hostile:waits', {})
    await expect.poll(async () => (await rill.get(waiting)).tasks?.a?.status, { timeout: 10_000 }).toBe('RUNNING')
    await app.kill('SIGKILL')
    // state no start can read back: before, a job that threw on recovery ended every start
    const db = openStore(join(app.dir, 'jobdesk.db'))
    db.db.prepare("INSERT OR REPLACE INTO task_specs (task_id, spec) SELECT id, '{broken' FROM tasks WHERE job_id = (SELECT id FROM jobs WHERE uuid = ?)").run(uuidOfExecutionId(waiting))
    db.close()
    await app.start()
    rill = rillClient(app.url)
    await underProbe(async () => {
      const failed = await rill.call('GET', '/flow/get_execution_ids.json?service_id=hostile:waits&type=failed')
      expect(failed.body.execution_ids.map((e: { execution_id: string }) => e.execution_id)).toEqual([waiting])
      const jobs = await fetch(`${app.url}/api/v1/jobs?text=${uuidOfExecutionId(waiting)}`, { headers: { authorization: `Bearer ${app.token}` } })
      const [job] = ((await jobs.json()) as { items: { status: string; error: string }[] }).items
      expect(job).toMatchObject({ status: 'failed', error: expect.stringMatching(/could not resume this job after a restart: .*JSON/) })
      for (const name of ['circular', 'redos', 'aliasing', 'wide', 'waits']) {
        const ids = await rill.call('GET', `/flow/get_execution_ids.json?service_id=hostile:${name}&type=running`)
        expect(ids.body.execution_ids, name).toEqual([])
      }
    })
    await app.kill('SIGKILL')
    await app.start() // and the start after that is clean too
    rill = rillClient(app.url)
    expect((await rill.call('GET', '/flow/service_check.json')).body).toEqual({ ret: 'ok' })
  }, 60_000)
})
