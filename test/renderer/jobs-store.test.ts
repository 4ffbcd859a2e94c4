// The Jobs page's store when pushed events and replies race: the race the browser test of graph
// workflow reruns lost once on CI (the detail panel stayed "running" after the job succeeded).
import { afterEach, describe, expect, it } from 'vitest'
import { setTransport } from '../../renderer/src/api/client'
import type { Transport } from '../../renderer/src/api/transport'
import { useJobs } from '../../renderer/src/stores/jobs'
import type { JobDetail, JobSummary, TaskView } from '../../shared/model'

/** A transport whose jobs.get replies are released by the test, in the order it chooses. */
function heldTransport(snapshots: JobDetail[]) {
  const pending: ((v: JobDetail) => void)[] = []
  const transport: Transport = {
    kind: 'http',
    send: ((name: string) => {
      if (name === 'jobs.get') return new Promise<JobDetail>((resolve) => pending.push(resolve))
      if (name === 'jobs.log') return Promise.resolve({ items: [], nextCursor: null })
      return Promise.reject(new Error(`not used here: ${name}`))
    }) as Transport['send'],
    subscribe: () => () => {},
    apiDocsUrl: () => Promise.resolve(null),
  }
  return {
    transport,
    /** Releases the oldest held jobs.get with the next snapshot. */
    reply: () => pending.shift()!(snapshots.shift()!),
    held: () => pending.length,
  }
}

const job = (status: JobSummary['status']): JobDetail =>
  ({ id: 7, uuid: 'u7', kind: 'workflow', status, progress: 0, labels: {}, tasks: [], createdAt: 1, startedAt: 1 }) as unknown as JobDetail

afterEach(() => setTransport(null))

describe('jobs store: the selected job', () => {
  it('fetches the detail again when the job ended while its reply was on the way', async () => {
    const t = heldTransport([job('running'), job('succeeded')])
    setTransport(t.transport)
    const selecting = useJobs.getState().select(7)
    // the job ends before the (older) reply arrives: the event finds no detail to update
    useJobs.getState().apply({ type: 'job.changed', data: { job: job('succeeded') } })
    t.reply()
    await selecting
    await expect.poll(() => t.held()).toBe(1)
    t.reply()
    await expect.poll(() => useJobs.getState().detail?.status).toBe('succeeded')
  })

  it('keeps the reply when nothing ended meanwhile', async () => {
    const t = heldTransport([job('running')])
    setTransport(t.transport)
    const selecting = useJobs.getState().select(7)
    t.reply()
    await selecting
    expect(useJobs.getState().detail?.status).toBe('running')
    expect(t.held()).toBe(0)
  })
})

describe('jobs store: task changes pushed without their large values (#9 §2)', () => {
  const task = (status: TaskView['status'], output: unknown): TaskView =>
    ({ id: 70, name: 'big', executor: 'noop', status, attempt: 1, try: 1, maxAttempts: 1, dependsOn: [], input: { small: 1 }, output, error: null, startedAt: 1, finishedAt: null, attempts: [] }) as TaskView
  const withTask = (t: TaskView): JobDetail => ({ ...job('running'), tasks: [t] })

  it('shows the new state at once and the whole output from the detail it fetches again', async () => {
    const whole = { s: 'x'.repeat(100_000) }
    const t = heldTransport([withTask(task('running', null)), withTask(task('succeeded', whole))])
    setTransport(t.transport)
    const selecting = useJobs.getState().select(7)
    t.reply()
    await selecting
    useJobs.getState().apply({ type: 'task.changed', data: { jobId: 7, task: task('succeeded', null), omitted: { output: 100_008 } } })
    const shown = () => useJobs.getState().detail!.tasks[0]
    expect(shown().status).toBe('succeeded')
    expect(shown().input).toEqual({ small: 1 }) // carried by the event
    await expect.poll(() => t.held(), { timeout: 2000 }).toBe(1) // the detail is asked for again
    t.reply()
    await expect.poll(() => shown().output).toEqual(whole)
  })

  it('takes a small output from the event without fetching', async () => {
    const t = heldTransport([withTask(task('running', null))])
    setTransport(t.transport)
    const selecting = useJobs.getState().select(7)
    t.reply()
    await selecting
    useJobs.getState().apply({ type: 'task.changed', data: { jobId: 7, task: task('succeeded', { n: 1 }) } })
    expect(useJobs.getState().detail!.tasks[0].output).toEqual({ n: 1 })
    await new Promise((r) => setTimeout(r, 500))
    expect(t.held()).toBe(0)
  })
})

describe('jobs store: a job with more tasks than its detail lists (newuser18)', () => {
  const listed = { id: 1, name: 'each', executor: 'noop', status: 'running', attempt: 1, try: 1, maxAttempts: 1, dependsOn: [], input: null, output: null, error: null, startedAt: 1, finishedAt: null, attempts: [] } as TaskView
  const counted = (taskCounts: JobDetail['taskCounts']): JobDetail => ({ ...job('running'), tasks: [listed], taskCount: 600, taskCounts })

  it('fetches the detail again when a task it does not list changes, so its counts by state keep up', async () => {
    const t = heldTransport([counted({ running: 600 }), counted({ running: 599, failed: 1 })])
    setTransport(t.transport)
    const selecting = useJobs.getState().select(7)
    t.reply()
    await selecting
    // the 600th task failed: it is not among those listed, and the event alone cannot say what it was before
    useJobs.getState().apply({ type: 'task.changed', data: { jobId: 7, task: { ...listed, id: 600, name: 'each_598-p', status: 'failed' } } })
    await expect.poll(() => t.held(), { timeout: 3000 }).toBe(1) // was: never asked again until the job ended
    t.reply()
    await expect.poll(() => useJobs.getState().detail!.taskCounts).toEqual({ running: 599, failed: 1 })
  })
})

describe('jobs store: pages of a wide job\'s tasks (new-user trial M1)', () => {
  const item = (id: number, status: TaskView['status'] = 'succeeded') =>
    ({ id, name: `fe_${id}-w`, executor: 'noop', status, attempt: 1, try: 1, maxAttempts: 1, dependsOn: [], input: null, output: null, error: null, startedAt: 1, finishedAt: 2, attempts: [] }) as TaskView
  const wide: JobDetail = { ...job('failed'), tasks: [item(1)], taskCount: 20_002, taskCounts: { succeeded: 19_998, failed: 4 } }

  /** jobs.get answers `wide` at once; each jobs.tasks is held until the test answers it, its params kept. */
  function pagesTransport() {
    const asked: { params: Record<string, unknown>; answer: (v: { items: TaskView[]; total: number }) => void }[] = []
    const transport: Transport = {
      kind: 'http',
      send: ((name: string, params: Record<string, unknown>) => {
        if (name === 'jobs.get') return Promise.resolve(wide)
        if (name === 'jobs.tasks') return new Promise((answer) => asked.push({ params, answer }))
        return Promise.reject(new Error(`not used here: ${name}`))
      }) as Transport['send'],
      subscribe: () => () => {},
      apiDocsUrl: () => Promise.resolve(null),
    }
    return { transport, asked }
  }

  it('shows the page asked last when an earlier page answers after it, and the detail\'s own list without a fetch', async () => {
    const t = pagesTransport()
    setTransport(t.transport)
    await useJobs.getState().select(7)
    const jobs = useJobs.getState()
    void jobs.showTasks({ offset: 500 })
    void jobs.showTasks({ status: 'failed' })
    expect(t.asked.map((a) => a.params)).toEqual([
      { id: 7, offset: 500, limit: 500 },
      { id: 7, offset: 0, limit: 500, status: 'failed' },
    ])
    t.asked[1].answer({ items: [item(19_999, 'failed')], total: 4 })
    await expect.poll(() => useJobs.getState().tasks.page?.total).toBe(4)
    t.asked[0].answer({ items: [item(500)], total: 20_002 }) // late: the user has moved on
    await new Promise((r) => setTimeout(r, 50))
    expect(useJobs.getState().tasks).toMatchObject({ status: 'failed', offset: 0, loading: false, page: { status: 'failed', offset: 0, total: 4 } })
    // a pushed change to a task of the page shown changes it in place
    useJobs.getState().apply({ type: 'task.changed', data: { jobId: 7, task: { ...item(19_999, 'failed'), error: 'boom' } } })
    expect(useJobs.getState().tasks.page!.items[0].error).toBe('boom')
    // every state from the first task is the detail's own list: nothing fetched
    await useJobs.getState().showTasks({ status: null })
    expect(t.asked.length).toBe(2)
    expect(useJobs.getState().tasks.page).toBe(null)
    // another job starts from its first page
    void useJobs.getState().showTasks({ offset: 1000 })
    await useJobs.getState().select(7)
    expect(useJobs.getState().tasks).toMatchObject({ status: null, offset: 0, page: null })
  })
})
