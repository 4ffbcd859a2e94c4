// Attack (#9 §2): many large task outputs settled in one engine tick. Eight pass tasks fan out from
// one root and each maps a 3 MB context value into its input (a pass task's output is its input):
// all eight finish in the same tick, and its one commit serialized, depth-checked and wrote 48 MB of
// task values (input and output of each) in one turn of the event loop: ~420 ms of the main thread's
// own work at load 3, ~800 ms at load 7, while a status probe waited. A tick now stops settling once
// it has a byte budget's worth of values (engine/budget.ts); the rest follow in the next ticks.
// The join task after them must still see every one of them done, and each output is stored whole.
import { describe, expect, it } from 'vitest'
import { mainThreadCpuMs } from '../support/cpu-time'
import { expectResponsive, probeWhile } from '../support/served-process'
import { rillAttackSuite } from './support/rill-attack'

const { app, rill, head, add, alive } = rillAttackSuite()
const auth = () => ({ authorization: `Bearer ${app.token}` })
const FAN = 8

const descriptor = (): string => {
  const names = Array.from({ length: FAN }, (_, i) => `p${i + 1}`)
  let yaml = `${head('tickburst')}tasks:\n  - {category: pass, name: root, next: "${names.join(',')}"}\n`
  for (const name of names) yaml += `  - {category: pass, name: ${name}, next: join, inputMappings: [{source: $.context.s, target: $.input.s}]}\n`
  // each pass task names the join as its next: the join depends on all of them
  return `${yaml}  - {category: pass, name: join}\n`
}

describe('attack: eight 3 MB task outputs settled in one engine tick', () => {
  it('keeps the status probe fast while they are stored, and stores every one of them whole', async () => {
    expect((await add(descriptor())).status).toBe(200)
    const s = `${'r'.repeat(3_000_000)}中文€😀"\\\n`
    const pid = app.child.pid!
    const cpuBefore = mainThreadCpuMs(pid)
    const started = performance.now()
    const { result: executionId, probe } = await probeWhile(app, async () => {
      const id = await rill().submit('attack:tickburst', { s })
      // polled brief: a full get.json carries the 48 MB of values, which is not what is measured here
      for (const deadline = Date.now() + 120_000; ; await new Promise((r) => setTimeout(r, 50))) {
        const status = (await rill().get(id, true)).dag_status as string
        if (status === 'SUCCEED' || status === 'FAILED') {
          expect(status).toBe('SUCCEED')
          return id
        }
        if (Date.now() > deadline) throw new Error(`execution still ${status}`)
      }
    })
    const cpu = mainThreadCpuMs(pid) - cpuBefore
    console.log(
      `${FAN} × 3 MB in one tick: ${Math.round(performance.now() - started)} ms; main thread CPU ${Math.round(cpu)} ms; probe max ${Math.round(probe.maxMs)} ms over ${probe.count} probes; stalls ${JSON.stringify(probe.stalls)}`,
    )
    expect(alive()).toBe(true)
    expectResponsive(probe)

    // every output stored whole, and the join ran after all of them
    const list = (await (await fetch(`${app.url}/api/v1/jobs?limit=5`, { headers: auth() })).json()) as { items: { id: number; labels: { executionId?: string } }[] }
    const jobId = list.items.find((j) => j.labels.executionId === executionId)!.id
    const detail = (await (await fetch(`${app.url}/api/v1/jobs/${jobId}`, { headers: auth() })).json()) as {
      status: string
      tasks: { name: string; status: string; output: unknown; finishedAt: number; startedAt: number }[]
    }
    expect(detail.status).toBe('succeeded')
    const byName = Object.fromEntries(detail.tasks.map((t) => [t.name, t]))
    for (let i = 1; i <= FAN; i++) expect(byName[`p${i}`]).toMatchObject({ status: 'succeeded', output: { s } })
    expect(byName.join.status).toBe('succeeded')
    for (let i = 1; i <= FAN; i++) expect(byName.join.startedAt).toBeGreaterThanOrEqual(byName[`p${i}`].finishedAt)
  }, 240_000)
})
