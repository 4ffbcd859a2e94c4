// Status polls of a running foreach whose definition is large (a 0.95 MB constant in a sub-task's
// mapping) read and parsed it on every poll (#9): the native execution view read the tasks' specs and
// parsed their definition parts (the foreach's and its sub-task's, ~1 MB each: 15-45 ms a poll under
// load), and every execution lookup (get.json, get_context.json, the native view) read the
// descriptor version's row, its text and parsed form, only to find the DAG it had cached. A part is
// now parsed once and kept (store/jobs/job-parts.ts), and a lookup takes the cached DAG.
import { afterEach, expect, it, vi } from 'vitest'
import { partsParsedCount } from '../../electron/store/jobs/job-parts'
import { foreachDescriptor, wideMap } from './support/foreach-descriptor'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()
const ITEMS = 30
const CONSTANT = wideMap(200_000)

const DESCRIPTOR = foreachDescriptor('polls', 'big', {
  name: 'loop',
  tasks: `[{category: suspense, name: W, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}],
      outputMappings: [{source: '${CONSTANT}', target: $.context.big}]}]`,
})

afterEach(() => {
  vi.restoreAllMocks()
})

it('answers status polls of a running foreach with a large definition without parsing it or reading its descriptor again', async () => {
  const { t, rill } = s
  const executionId = await rill.submit(await rill.addDescriptor(DESCRIPTOR), { items: Array.from({ length: ITEMS }, (_, i) => i) })
  const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
  const polls = async () => {
    const native = await t.call('GET', `/api/v1/executions/${jobId}`)
    expect(native.status).toBe(200)
    const job = await t.call('GET', `/api/v1/jobs/${jobId}`)
    expect(job.status).toBe(200)
    return { native: native.body, job: job.body, rill: await rill.get(executionId) }
  }
  await expect.poll(async () => (await polls()).native.tasks.filter((x: { name: string; status: string }) => x.name.endsWith('-W') && x.status === 'running').length, { timeout: 30_000 }).toBe(ITEMS)

  const first = await polls()
  const parsed = partsParsedCount()
  const versionReads = vi.spyOn(t.app.store.workflows, 'get')
  for (let i = 0; i < 5; i++) expect(await polls()).toEqual(first)
  expect(partsParsedCount() - parsed).toBe(0) // 2 a poll before: the foreach's definition and W's
  expect(versionReads).not.toHaveBeenCalled() // 2 a poll before (get.json, the native view), 2.4 MB each
  expect(first.native.tasks.find((x: { name: string }) => x.name === 'loop').items).toMatchObject({ total: ITEMS, running: ITEMS })
  expect(first.rill.dag_status).toBe('RUNNING')
  expect((await t.call('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200)
  await expect.poll(async () => (await rill.get(executionId)).dag_status, { timeout: 30_000 }).toBe('FAILED')
}, 120_000)
