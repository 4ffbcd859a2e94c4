// Attack (#9 §2, redo12): a user granted nothing runs a foreach over 100,000 items whose next step
// fails (a call to this computer, refused to a user who is not an admin), then redoes the foreach
// (redo.json task_names=f). The redo reads the execution, activates the ended job (its 100k tasks),
// and drops the foreach's sub-tasks (100,000 task rows) and groups (100,000 rows) in one transaction
// before the foreach starts again. Before any fix (load 3-4): the main thread held 6,072 ms (1,889 ms
// of it garbage collection), a probe got no answer within 5 s. Once redo.json read the execution
// without its tasks: held 4,198 ms (on a CPU 2,329 ms), all in the engine's redo (in process,
// profiled: reading the 100k tasks to activate the ended job ~1.4 s, deleting the tasks and groups
// ~0.8 s, the rest garbage collection). FAILS until those are bounded. The measure: a status
// probe answers in under 200 ms.
import { describe, expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { createUser } from '../support/users'
import { foreachThenFailingCall } from './support/foreach-descriptor'
import { rillClient, statuses } from './support/rill-client'

const ITEMS = 100_000
const app = servedProcessSuite()

describe('attack: redoing a 100k-item foreach', () => {
  it('drops and remakes its 100k tasks and groups while every probe answers within 200 ms', async () => {
    const eve = await createUser(app, 'eve') // no rights: Rill Flow workflows need none
    const rill = rillClient(app.url, eve.token)
    await rill.addDescriptor(foreachThenFailingCall('wide', 'redo100k'))
    const untilEnded = async (id: string): Promise<any> => {
      const end = Date.now() + 240_000
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000))
        const ret = await rill.get(id, true) // brief, as a client polling a long run
        if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return ret
        if (Date.now() > end) throw new Error(`still ${ret.dag_status} at ${ret.process}%`)
      }
    }
    const id = await rill.submit('wide:redo100k', { items: Array.from({ length: ITEMS }, (_, i) => i) })
    expect((await untilEnded(id)).dag_status).toBe('FAILED')

    const { result, probe } = await probeWhile(app, async () => {
      const redo = await rill.call('POST', `/flow/redo.json?execution_id=${encodeURIComponent(id)}&task_names=f`, {})
      expect(redo.status, JSON.stringify(redo.body)).toBe(200)
      return untilEnded(id)
    })
    console.log(`100k foreach redo: probes ${probe.count}, p99 ${probe.p99Ms.toFixed(0)} ms, max ${probe.maxMs.toFixed(0)} ms; stalls ${JSON.stringify(probe.stalls)}`)
    // the foreach ran again whole, its last group among the new ones, and the step after it failed again
    expect(result.dag_status).toBe('FAILED')
    const ret = await rill.get(id)
    expect(statuses(ret)).toMatchObject({ f: 'SUCCEEDED', last: 'FAILED' })
    const group = await rill.call('GET', `/flow/get_sub_context.json?execution_id=${encodeURIComponent(id)}&parent=f&group_index=${ITEMS - 1}`)
    expect(group.body.ret).toMatchObject({ it: ITEMS - 1 })
    expect(app.child.exitCode).toBe(null)
    expectResponsive(probe)
  }, 600_000)
})
