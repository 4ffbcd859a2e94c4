// get.json and the console's get_execution.json write a wide foreach's sub_group_index_to_status a page
// at a time into a streamed answer (mappers.ts GROUP_STATUS_INLINE_MAX, GROUP_STATUS_PAGE; the probe
// test attack-foreach-100k-get-execution holds the time): the answer is the one built at once, whole, in
// index order, while groups run, wait for a slot, and after a cancel (a group still marked running
// read from its sub-tasks; those never started NOT_STARTED).
import { beforeAll, describe, expect, it } from 'vitest'
import { executionView, GROUP_STATUS_INLINE_MAX, GROUP_STATUS_PAGE } from '../../electron/http/dialects/rillflow/mappers'
import { stringifyWithRaw } from '../../electron/store/raw-json'
import type { TaskRecord } from '../../electron/store/job.repository'
import { storedGroups } from '../../electron/workflows/rillflow/runtime/group-progress'
import type { TestApp } from '../support/app'
import { foreachWorkflow, HOLD_TASK } from '../support/workflows'
import { consoleLogin, type ConsoleClient } from '../rillflow/support'
import type { rillClient } from './support/rill-client'
import { rillSuite } from './support/rill-suite'

const suite = rillSuite()
let t: TestApp
let rill: ReturnType<typeof rillClient>
let ui: ConsoleClient
beforeAll(async () => {
  ;({ t, rill } = suite)
  ui = await consoleLogin(t, 'admin', '73@TuGraph')
})

const ITEMS = GROUP_STATUS_INLINE_MAX + GROUP_STATUS_PAGE / 2 // three pages, the last one short
const SLOTS = GROUP_STATUS_INLINE_MAX - 3
const WOKEN = 5

describe("a wide foreach's group statuses, written in pages", () => {
  it('are the map built at once, in get.json and get_execution.json, running, waiting and after a cancel', async () => {
    const executionId = await rill.submit(await rill.addDescriptor(foreachWorkflow('paged:wide', HOLD_TASK, SLOTS)), { items: Array.from({ length: ITEMS }, (_, i) => i) })
    const e = encodeURIComponent(executionId)
    const jobId = t.app.workflows.execution(executionId, 'none', 'none').job.id
    /** get.json's and get_execution.json's group statuses, and the view built at once in this process. */
    const answers = async () => {
      const get = (await rill.get(executionId)).tasks.each
      const console_ = (await ui.micro('GET', `/flow/bg/get_execution.json?id=${e}`)).body.data.tasks.each
      const atOnce = JSON.parse(stringifyWithRaw(executionView(t.app.workflows.execution(executionId, 'top', 'text'), false))).tasks.each
      expect(console_).toEqual(get)
      expect(get).toEqual(atOnce)
      expect(Object.keys(get.sub_group_index_to_status)).toEqual(Array.from({ length: ITEMS }, (_, i) => String(i))) // in index order
      return Object.values(get.sub_group_index_to_status)
    }
    const running = () => t.app.store.jobs.taskCountsByStatus(jobId).running ?? 0
    await expect.poll(running, { timeout: 60_000 }).toBe(SLOTS + 1)
    for (let i = 0; i < WOKEN; i++) expect((await rill.call('POST', `/flow/wakeup.json?execution_id=${e}&task_name=each_${i}-hold`, { go: true })).status).toBe(200)
    // the woken groups' slots go to the next waiting ones
    await expect.poll(running, { timeout: 60_000 }).toBe(SLOTS + 1)
    expect(await answers()).toEqual([...Array(WOKEN).fill('SUCCEED'), ...Array(SLOTS).fill('RUNNING'), ...Array(ITEMS - SLOTS - WOKEN).fill('READY')])

    expect((await t.call('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200)
    await expect.poll(async () => (await rill.get(executionId, true)).dag_status, { timeout: 60_000 }).toBe('FAILED')
    expect(await answers()).toEqual([...Array(WOKEN).fill('SUCCEED'), ...Array(SLOTS).fill('FAILED'), ...Array(ITEMS - SLOTS - WOKEN).fill('NOT_STARTED')])
  }, 120_000)
})

describe('a page of group statuses (GroupReader.statusRange)', () => {
  it("reads the rows' page, or a legacy execution's statuses (kept in the parent's runtime) within the page", () => {
    const parent = (runtime: Record<string, unknown> | null) => ({ name: 'each', runtime }) as unknown as TaskRecord
    const asked: unknown[] = []
    const rows = {
      statuses: () => new Map<number, string>(),
      statusRange: (...args: unknown[]) => (asked.push(args), new Map([[3, 'running']])),
      counts: () => new Map<string, number>(),
      context: () => undefined,
    }
    const reader = storedGroups(rows, { id: 7, context: null })
    expect([...reader.statusRange(parent({ groups: 5 }), 2, 4)]).toEqual([[3, 'running']])
    expect(asked).toEqual([[7, 'each', 2, 4]])
    const legacy = parent({ groups: 5, status: { 0: 'succeeded', 2: 'failed', 3: 'running' } })
    expect([...reader.statusRange(legacy, 2, 5)]).toEqual([[2, 'failed'], [3, 'running']])
    expect([...reader.statusRange(legacy, 0, 2)]).toEqual([[0, 'succeeded']])
    expect(asked).toHaveLength(1) // the legacy statuses are the parent's, not the rows'
  })
})
