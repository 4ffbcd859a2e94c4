// Attack (#9 §2): the native job detail (GET /api/v1/jobs/:id) of a RUNNING job whose tasks hold
// megabytes, read again and again (a UI tab polling it, a script). A finished job's large values are
// written into the answer a slice at a time, and Rill Flow's get.json of a running execution answers
// the engine's live values, serialized once; but the native detail of a running job read every large
// input and output whole from the store on each request, in one turn of the event loop: here eight
// pass tasks each hold a 2 MB value as input and output (32 MB), and a hanging task keeps the job
// running. The detail is read three at a time while a status probe runs; each read must still carry
// every value whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { mainThreadCpuMs } from '../support/cpu-time'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { getFromOwnProcess } from '../workflows/support/own-process-client'
import { rillClient } from '../workflows/support/rill-client'

const app = servedProcessSuite()
const auth = () => ({ authorization: `Bearer ${app.token}` })
const FAN = 8
const READS = 4
const AT_ONCE = 3

let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
})
afterAll(() => exec?.close())

const descriptor = (executor: string): string => {
  const names = Array.from({ length: FAN }, (_, i) => `p${i + 1}`)
  let yaml = `workspace: attack\ndagName: runningdetail\ntype: flow\ntasks:\n  - {category: pass, name: root, next: "${names.join(',')}"}\n`
  for (const name of names) yaml += `  - {category: pass, name: ${name}, next: hang, inputMappings: [{source: $.context.s, target: $.input.s}]}\n`
  return `${yaml}  - {category: function, name: hang, pattern: task_sync, resourceName: ${executor}/hang.json}\n`
}

describe('attack: the native detail of a running job whose tasks hold 32 MB, read repeatedly', () => {
  it('keeps the status probe fast, and every read carries every value whole', async () => {
    const rill = rillClient(app.url)
    await rill.addDescriptor(descriptor(exec.url))
    const s = `${'d'.repeat(2_000_000)}中文€😀"\\\n`
    const executionId = await rill.submit('attack:runningdetail', { s })
    for (const deadline = Date.now() + 60_000; !exec.calls.some((c) => c.path === '/hang.json'); await new Promise((r) => setTimeout(r, 100))) {
      if (Date.now() > deadline) throw new Error('task hang never ran')
    }
    const list = (await (await fetch(`${app.url}/api/v1/jobs?limit=5`, { headers: auth() })).json()) as { items: { id: number; status: string; labels: { executionId?: string } }[] }
    const job = list.items.find((j) => j.labels.executionId === executionId)!
    expect(job.status).toBe('running')
    const url = `${app.url}/api/v1/jobs/${job.id}`

    // one read, checked whole: every pass task's input and output as it was given them
    const text = await (await fetch(url, { headers: auth() })).text()
    const detail = JSON.parse(text) as { status: string; tasks: { name: string; input: unknown; output: unknown }[] }
    expect(detail.status).toBe('running')
    const passes = detail.tasks.filter((t) => /^p\d+$/.test(t.name))
    expect(passes).toHaveLength(FAN)
    for (const t of passes) expect({ name: t.name, input: t.input, output: t.output }).toEqual({ name: t.name, input: { s }, output: { s } })
    expect(text).toBe(JSON.stringify(detail))

    const pid = app.child.pid!
    const cpuBefore = mainThreadCpuMs(pid)
    const { result, probe } = await probeWhile(app, async () => {
      const answers: { status: number; bytes: number }[] = []
      for (let i = 0; i < READS; i++) answers.push(...(await getFromOwnProcess(url, auth(), AT_ONCE)))
      return answers
    })
    const cpu = mainThreadCpuMs(pid) - cpuBefore
    console.log(
      `${READS * AT_ONCE} reads of a running job's detail (${Math.round(Buffer.byteLength(text) / 1e6)} MB each): main thread CPU ${Math.round(cpu)} ms (${Math.round(cpu / (READS * AT_ONCE))} ms a read); probe max ${Math.round(probe.maxMs)} ms over ${probe.count} probes; stalls ${JSON.stringify(probe.stalls)}`,
    )
    for (const a of result) expect(a).toEqual({ status: 200, bytes: Buffer.byteLength(text) })
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)
  }, 240_000)
})
