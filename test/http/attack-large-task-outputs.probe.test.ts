// Attack (#9 §2): a job whose tasks' inputs and outputs are megabytes. The native job detail
// (GET /api/v1/jobs/:id) read every task's input and output, parsed them and serialized them again
// on the main thread: 350 ms for a job whose task outputs were 3.7 MB; Rill Flow's get.json (its tasks'
// invoke_msg) did the same. Here a Rill Flow execution of
// two pass tasks, each mapping a 1.8 MB context value into its input (a pass task's output is its
// input): 7.4 MB of task values. The detail and get.json are read repeatedly while a health probe
// runs, and must still carry every task's input and output whole, byte for byte as JSON.stringify
// would write them.
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { getFromOwnProcess } from '../workflows/support/own-process-client'
import { rillClient } from '../workflows/support/rill-client'

const app = servedProcessSuite()
const auth = () => ({ authorization: `Bearer ${app.token}` })
const READS = 6

const DESCRIPTOR = `workspace: attack
dagName: bigtasks
type: flow
tasks:
  - {category: pass, name: a, next: b, inputMappings: [{source: $.context.s, target: $.input.s}, {source: $.context.n, target: $.input.n}]}
  - {category: pass, name: b, inputMappings: [{source: $.context.s, target: $.input.s}]}
`

describe('attack: a job whose task inputs and outputs are 7.4 MB', () => {
  it('answers its detail whole while the health probe stays fast', async () => {
    const rill = rillClient(app.url)
    await rill.addDescriptor(DESCRIPTOR)
    const s = `${'q'.repeat(1_800_000)}中文€😀"\\\n` // multi-byte characters and escapes at the end
    const context = { s, n: [1, 2.5, { k: 'é' }] }
    const executionId = await rill.submit('attack:bigtasks', context)
    expect((await rill.finished(executionId, 60_000)).dag_status).toBe('SUCCEED')
    const list = (await (await fetch(`${app.url}/api/v1/jobs?limit=5`, { headers: auth() })).json()) as { items: { id: number; labels: { executionId?: string } }[] }
    const jobId = list.items.find((j) => j.labels.executionId === executionId)!.id

    // complete and correct for a client: each task's input and output as the tasks were given them
    const res = await fetch(`${app.url}/api/v1/jobs/${jobId}`, { headers: auth() })
    expect(res.status).toBe(200)
    const text = await res.text()
    const detail = JSON.parse(text) as { tasks: { name: string; input: unknown; output: unknown }[] }
    const byName = Object.fromEntries(detail.tasks.map((t) => [t.name, t]))
    expect(byName.a.input).toEqual({ s, n: context.n })
    expect(byName.a.output).toEqual({ s, n: context.n })
    expect(byName.b.input).toEqual({ s })
    expect(byName.b.output).toEqual({ s })
    expect(text).toBe(JSON.stringify(detail)) // the bytes one JSON.stringify of the detail writes

    const started = performance.now()
    const { result, probe } = await probeWhile(app, async () => {
      const answers: { status: number; bytes: number }[] = []
      for (let i = 0; i < READS; i++) answers.push(...(await getFromOwnProcess(`${app.url}/api/v1/jobs/${jobId}`, auth(), 2)))
      return answers
    })
    console.log(`${READS * 2} reads of the detail: ${Math.round(performance.now() - started)} ms; probe max ${Math.round(probe.maxMs)} ms over ${probe.count} probes; stalls ${JSON.stringify(probe.stalls)}`)
    for (const a of result) expect(a).toEqual({ status: 200, bytes: Buffer.byteLength(text) })
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)

    // Rill Flow's get.json shows the same inputs and outputs in its tasks' invoke_msg
    const full = `${app.url}/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=false`
    const ret = (await (await fetch(full)).json()) as { ret: { tasks: Record<string, { invoke_msg: { input: unknown; output: unknown } }> } }
    expect(ret.ret.tasks.a.invoke_msg).toMatchObject({ input: { s, n: context.n }, output: { s, n: context.n } })
    expect(ret.ret.tasks.b.invoke_msg).toMatchObject({ input: { s }, output: { s } })
    const rillReads = await probeWhile(app, async () => {
      for (let i = 0; i < READS; i++) for (const a of await getFromOwnProcess(full, {}, 2)) expect(a.status).toBe(200)
    })
    console.log(`${READS * 2} get.json: probe max ${Math.round(rillReads.probe.maxMs)} ms over ${rillReads.probe.count} probes; stalls ${JSON.stringify(rillReads.probe.stalls)}`)
    expectResponsive(rillReads.probe)
  }, 180_000)
})
