// #9 §2's measure for a client's callback: a Rill Flow finish.json or wakeup.json of a big body the
// bounds still allow. The last stop's last check (load 7-12, `serve`, a 100 ms health probe): a
// finish.json of 8 x 87,000 `{}` mapped into the context held the probe 749 ms, a body of 1,000,000
// zeros 606 ms; the server's own hold log up to 734 ms, 235-244 ms of it on CPU: the output mappings'
// pass, the context's measure, the copy and the save ran in one turn of the main thread.
// Here each is sent (built and sent by a process of its own: the test's loop runs the probe's reads)
// while a status probe runs: it answers under 200 ms, and the callback is applied (the context has the
// values, the task ended) or, past the context's 2 MB, refused 30507 with nothing changed, as before.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServedProcess, underProbe, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'
import { postFromOwnProcess } from './support/own-process-client'
import { rillClient, statuses } from './support/rill-client'
import { startSampleExecutor, type SampleExecutor } from './support/sample-executor'

const dir = tempDir()
let app: ServedProcess
let exec: SampleExecutor
let rill: ReturnType<typeof rillClient>

/** `{source: $.output.items, target: $.context.cN}` for N below `n`. */
const mappings = (n: number) => Array.from({ length: n }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`).join(', ')

beforeAll(async () => {
  exec = await startSampleExecutor()
  app = await startServedProcess(dir)
  rill = rillClient(app.url)
  const fn = (name: string, n: number) =>
    `workspace: hold\ndagName: ${name}\ntype: flow\ntasks:\n` +
    `  - {category: function, name: f, resourceName: ${exec.url}/accept.json, pattern: task_scheduler, next: done, outputMappings: [${mappings(n)}]}\n` +
    `  - {category: pass, name: done}\n`
  await rill.addDescriptor(fn('eight', 8))
  await rill.addDescriptor(fn('one', 1))
  await rill.addDescriptor(
    `workspace: hold\ndagName: wake\ntype: flow\ntasks:\n` +
      `  - {category: suspense, name: a, next: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${mappings(8)}, {source: $.output.go, target: $.context.go}]}\n` +
      `  - {category: pass, name: done}\n`,
  )
}, 60_000)
afterAll(async () => {
  await app?.kill()
  await exec?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Submits `descriptor` and resolves with its execution id once its first task (`task`) waits. */
async function waiting(descriptor: string, task: string): Promise<string> {
  const id = await rill.submit(descriptor)
  await expect.poll(async () => statuses(await rill.get(id))[task], { timeout: 20_000, interval: 50 }).toBe('RUNNING')
  // a function's task is held once its dispatch's answer is taken: a callback before that is recorded to apply later
  await new Promise((r) => setTimeout(r, 300))
  return id
}

const callbackUrl = (route: string, id: string, task: string) => `${app.url}/flow/${route}.json?execution_id=${encodeURIComponent(id)}&task_name=${task}`

/** The execution's context as get_context.json answers it. */
async function contextOf(id: string): Promise<Record<string, unknown>> {
  const r = await rill.call('GET', `/flow/get_context.json?execution_id=${encodeURIComponent(id)}`)
  expect(r.status).toBe(200)
  return r.body.context ?? r.body.ret ?? r.body
}

describe('a big callback the bounds allow leaves the probe answering', () => {
  it('finish.json of 8 x 87,000 {} mapped into the context: applied, the probe under 200 ms', async () => {
    const id = await waiting('hold:eight', 'f')
    const res = await underProbe(app, () => postFromOwnProcess(callbackUrl('finish', id, 'f'), '{ items: Array.from({ length: 87_000 }, () => ({})) }'))
    expect(res.status, res.body).toBe(200)
    const ret = await rill.finished(id, 30_000)
    expect(ret.dag_status).toBe('SUCCEED')
    const ctx = await contextOf(id)
    for (let i = 0; i < 8; i++) expect((ctx[`c${i}`] as unknown[]).length).toBe(87_000)
  }, 120_000)

  it('finish.json of 1,000,000 zeros mapped once: applied, the probe under 200 ms', async () => {
    const id = await waiting('hold:one', 'f')
    const res = await underProbe(app, () => postFromOwnProcess(callbackUrl('finish', id, 'f'), '{ items: new Array(1_000_000).fill(0) }'))
    expect(res.status, res.body).toBe(200)
    expect((await rill.finished(id, 30_000)).dag_status).toBe('SUCCEED')
    expect(((await contextOf(id)).c0 as unknown[]).length).toBe(1_000_000)
  }, 120_000)

  it('wakeup.json of 8 x 87,000 {}: applied and the suspense woken, the probe under 200 ms', async () => {
    const id = await waiting('hold:wake', 'a')
    const res = await underProbe(app, () => postFromOwnProcess(callbackUrl('wakeup', id, 'a'), '{ go: true, items: Array.from({ length: 87_000 }, () => ({})) }'))
    expect(res.status, res.body).toBe(200)
    expect((await rill.finished(id, 30_000)).dag_status).toBe('SUCCEED')
    const ctx = await contextOf(id)
    for (let i = 0; i < 8; i++) expect((ctx[`c${i}`] as unknown[]).length).toBe(87_000)
  }, 120_000)

  it('finish.json of 8 x 90,000 {} (past the context\'s 2 MB): refused 30507 as before, nothing changed, the probe under 200 ms', async () => {
    const id = await waiting('hold:eight', 'f')
    const before = await contextOf(id)
    const res = await underProbe(app, () => postFromOwnProcess(callbackUrl('finish', id, 'f'), '{ items: Array.from({ length: 90_000 }, () => ({})) }'))
    expect(res.status, res.body).toBe(500)
    expect(JSON.parse(res.body)).toMatchObject({ error_code: 30507, error: expect.stringMatching(/^content length:\d+ exceed the limit: .*the context would exceed 2 MiB.*nothing was changed/) })
    expect(statuses(await rill.get(id))).toMatchObject({ f: 'RUNNING' })
    expect(await contextOf(id)).toEqual(before)
  }, 120_000)
})
