import { rmSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { startApp, type JobDeskApp, type StartOptions } from '../../electron/app'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { tempDir } from './temp-store'

export interface TestApp {
  app: JobDeskApp
  url: string
  dir: string
  token: string
  /** fetch against the app with the admin's bearer token and a JSON body. */
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>
  close(): Promise<void>
}

/**
 * `concurrency`: how many tasks run at once (4 unless a test needs more side by side). `dataDir`: a
 * temp folder the test prepared (graph files made before the app starts); removed on close like a fresh one.
 * `eventSessionCheckMs`: how often an open event stream checks its session (15 s unless set).
 * `authNow`: the clock sign-ins and their back-offs are timed by (Date.now unless set).
 * `connections`, `eventStreams`: the server's connection and event-stream limits (their defaults unless set).
 * `diskReserveBytes`: the free space the data folder's disk keeps (disk-reserve.ts; its default unless set).
 * `maxKeptBytesPerUser`: what one user's jobs keep in all (result rows, code, logs and state) (shared/quotas.ts; its default unless set).
 * `maxHeldWorkPerUser`: what one user's unfinished jobs may hold in memory, jobs, tasks and bytes of state (shared/quotas.ts MAX_HELD_WORK_PER_USER where not set).
 * `maxWorkflowBytesPerUser`: what the versions of one user's workflows take in all (shared/quotas.ts; its default unless set).
 * `exportPace`: how long exports wait for a slow reader (exporter.ts EXPORT_IDLE_MS, EXPORT_YIELD_MS unless set).
 * `sqlMemoryBudgetBytes`: what all running SQL jobs' memory limits may add up to (executors/sql-memory.ts; half the machine's memory unless set).
 */
export async function startTestApp(
  options: Partial<Pick<StartOptions, 'concurrency' | 'dataDir' | 'eventSessionCheckMs' | 'authNow' | 'connections' | 'eventStreams' | 'diskReserveBytes' | 'maxKeptBytesPerUser' | 'maxHeldWorkPerUser' | 'maxWorkflowBytesPerUser' | 'exportPace' | 'algorithmRuns' | 'sqlMemoryBudgetBytes'>> = {},
): Promise<TestApp> {
  const dir = options.dataDir ?? tempDir()
  const app = await startApp({ ...options, dataDir: dir, host: '127.0.0.1', port: 0, concurrency: options.concurrency ?? 4 })
  const { token } = await app.auth.login(DEFAULT_ADMIN.username, DEFAULT_ADMIN.password)
  const call: TestApp['call'] = async (method, path, body, headers = {}) => {
    const res = await fetch(`${app.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: unknown = text
    try {
      parsed = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: res.status, body: parsed, headers: res.headers }
  }
  return {
    app,
    url: app.url,
    dir,
    token,
    call,
    async close() {
      await app.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A job's statuses once it has ended, for waitForStatus. */
export const ENDED_STATUSES = ['succeeded', 'failed', 'cancelled']

/**
 * Polls a job until it reaches one of the given statuses; throws naming the status it stayed in after
 * `timeoutMs`. Generous by default: a job's first graph worker starts slowly on a loaded machine (a
 * Cypher job took over 10 s at load 10 in the unit stage), and a wait ends as soon as the status comes.
 */
export async function waitForStatus(t: TestApp, id: number, statuses: string[], timeoutMs = 30_000): Promise<any> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const { body } = await t.call('GET', `/api/v1/jobs/${id}`)
    if (statuses.includes(body.status)) return body
    if (Date.now() > end) throw new Error(`job ${id} stayed ${body.status}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/**
 * startApp on every interface (host 0.0.0.0) of `dataDir`, for tests of what a client from the
 * network reaches: undefined when JobDesk refuses to start so (its error must name the default
 * password; any other error is thrown) or listens on loopback only; else the app (the caller closes it).
 */
export async function startOnNetwork(dataDir: string): Promise<JobDeskApp | undefined> {
  let app: JobDeskApp
  try {
    app = await startApp({ dataDir, host: '0.0.0.0', port: 0, concurrency: 2 })
  } catch (e) {
    if (/default password/i.test((e as Error).message)) return undefined
    throw e
  }
  if (!['127.0.0.1', '::1'].includes((app.server.server.address() as AddressInfo).address)) return app
  await app.close()
  return undefined
}
