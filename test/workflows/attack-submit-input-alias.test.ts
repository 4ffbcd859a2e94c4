// A submitted context over 64 kB is stored as the execution's input as sent, and the parsed body is
// handed to the job record as its input (job-rows.ts: inputJson) while the context was built from it by
// a shallow Object.assign (service.ts start): each object of the running context WAS an object of the
// job's input. Tasks write into their context (`$.context.params.by`), so into the input a running
// job's views read from the engine's live record (Linkis jobhistory/{id}/get: paramsJson), while the
// stored input, read once the execution has ended, does not show it. A smaller context is serialized
// and its input parsed back: a copy already.
// Expected: a job's input is what was submitted, whether it is running or not, whatever its size.
import { describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { linkisClient } from '../linkis/support'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

const descriptor = (name: string) => `workspace: inalias\ndagName: ${name}\ntype: flow\ntasks:
  - category: pass
    name: P
    next: S
    outputMappings:
      - {source: "task", target: "$.context.params.by"}
  - category: suspense
    name: S
    inputMappings:
      - {source: "$.context.go", target: "$.input.go"}
    conditions: ["$.input.[?(@.go == true)]"]
`

describe("a running execution's submitted input", () => {
  for (const [label, size] of [
    ['small', 10],
    ['large (over 64 kB: its text is stored as sent)', 70_000],
  ] as const) {
    it(`keeps its tasks' writes out of it: ${label}`, async () => {
      await s.rill.addDescriptor(descriptor(`hold${size}`))
      const id = await s.rill.submit(`inalias:hold${size}`, { params: { k: 1 }, pad: 'p'.repeat(size) })
      await expect.poll(async () => (await s.rill.get(id)).tasks.S?.status, { timeout: 10_000 }).toBe('RUNNING')
      const jobId = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
      const linkis = linkisClient(s.t.url)
      expect((await linkis.login()).body.status).toBe(0)
      const task = (await linkis.call('GET', `/jobhistory/${jobId}/get`)).body.data.task
      // fails for the large one: {k: 1, by: 'task'}: the task's write into its context shows in the running job's input
      expect(JSON.parse(task.paramsJson), label).toEqual({ k: 1 })
      const context = (await s.rill.call('GET', `/flow/get_context.json?execution_id=${encodeURIComponent(id)}`)).body.ret
      expect(context.params).toEqual({ k: 1, by: 'task' }) // the write landed in the context
    })
  }
})
