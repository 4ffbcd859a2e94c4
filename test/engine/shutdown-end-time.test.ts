// A job stopped by JobDesk's shutdown (Ctrl+C: its process killed within about 1.6 s) is failed by the
// next start's recovery. Its end is when it was stopped, not when JobDesk came back (newuser3: Finished
// showed the restart time and Duration counted the downtime, 35 s for a job killed after 2). A job a
// crash interrupted ends when JobDesk was last seen running (its heartbeat, every 10 s while jobs run).
import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { systemClock, type Clock } from '../../electron/clock'
import { HEARTBEAT_MS } from '../../electron/engine/heartbeat'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, TaskFailure, type Executor } from '../../electron/engine/executor'
import { openStore, type Store } from '../../electron/store'
import { ManualClock } from '../support/manual-clock'
import { tempDir } from '../support/temp-store'

/** Runs until aborted, then fails as a killed process does (not resumable: a script is not run twice). */
const untilStopped: Executor = {
  name: 'until-stopped',
  resumable: false,
  run: (ctx) => new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(new TaskFailure('killed')))),
}

let store: Store | undefined
let engines: Engine[] = []
let dir: string | undefined
afterEach(async () => {
  for (const e of engines) await e.stop()
  engines = []
  store?.close()
  store = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a job stopped at shutdown', () => {
  it('ends, after the restart, at the time it was stopped: the downtime is not in its duration', async () => {
    dir = tempDir()
    const file = join(dir, 'jobdesk.db')
    // the real clock, moved on by `downtime` while JobDesk is down
    let downtime = 0
    const clock: Clock = { now: () => Date.now() + downtime, setTimeout: systemClock.setTimeout, clearTimeout: systemClock.clearTimeout }
    const executors = new ExecutorRegistry([untilStopped])
    store = openStore(file)
    const first = new Engine({ store, executors, clock })
    engines.push(first)
    const job = first.submit({ uuid: randomUUID(), kind: 'script', name: 'long script', submitter: 'admin' }, [{ name: 'main', executor: 'until-stopped', dependsOn: [], spec: {} }])
    await expect.poll(() => store!.jobs.tasks(job.id)[0].status).toBe('running')
    const stoppedAt = clock.now()
    await first.stop()
    store.close()

    downtime = 60_000 // JobDesk starts again a minute later
    store = openStore(file)
    const second = new Engine({ store, executors, clock })
    engines.push(second)
    expect(second.recover()).toEqual({ jobs: 1, resumedTasks: 0, failedTasks: 1 })
    const ended = await second.waitFor(job.id)
    expect(ended.status).toBe('failed')
    expect(ended.error).toMatch(/interrupted: JobDesk stopped while this task was running/)
    const task = store.jobs.tasks(job.id)[0]
    // was: both at the restart, a minute after the stop
    for (const [what, at] of [['job', ended.finishedAt], ['task', task.finishedAt]] as const) {
      expect(at, what).toBeGreaterThanOrEqual(stoppedAt)
      expect(at, what).toBeLessThan(stoppedAt + 5_000)
    }
  })

  it('a job a crash left running (no stop recorded) ends when JobDesk was last seen running, not at the restart', async () => {
    dir = tempDir()
    const file = join(dir, 'jobdesk.db')
    store = openStore(file)
    const executors = new ExecutorRegistry([untilStopped])
    const before = new ManualClock()
    const first = new Engine({ store, executors, clock: before })
    const job = first.submit({ uuid: randomUUID(), kind: 'script', name: 'crashed', submitter: 'admin' }, [{ name: 'main', executor: 'until-stopped', dependsOn: [], spec: {} }])
    await expect.poll(() => store!.jobs.tasks(job.id)[0].status).toBe('running')
    const startedAt = store.jobs.tasks(job.id)[0].startedAt!
    before.advance(3 * HEARTBEAT_MS + 5_000) // it runs 35 s: beats at 10, 20 and 30 s
    const lastSeen = before.now() - 5_000
    // kill -9 here: no stop() (the first engine's timers die with it); JobDesk starts again ten minutes later
    const after = new ManualClock()
    after.advance(before.now() - after.now() + 600_000)
    const second = new Engine({ store, executors, clock: after })
    engines.push(second)
    expect(second.recover()).toEqual({ jobs: 1, resumedTasks: 0, failedTasks: 1 })
    const ended = await second.waitFor(job.id)
    expect(ended.status).toBe('failed')
    const task = store.jobs.tasks(job.id)[0]
    // was: both at the restart, ten minutes and 35 s after the start
    expect(task.finishedAt).toBe(lastSeen)
    expect(ended.finishedAt).toBe(lastSeen)
    expect(lastSeen - startedAt).toBe(3 * HEARTBEAT_MS)
    const lines = store.logs.read(job.id, 0, 50).lines.map((l) => l.text)
    expect(lines.join('\n')).toContain(`last seen running at ${new Date(lastSeen).toISOString()}`)
  })

  it('with no heartbeat on record (a database from before it), a crashed job still ends at the restart', async () => {
    dir = tempDir()
    const file = join(dir, 'jobdesk.db')
    store = openStore(file)
    const executors = new ExecutorRegistry([untilStopped])
    const first = new Engine({ store, executors })
    const job = first.submit({ uuid: randomUUID(), kind: 'script', name: 'crashed', submitter: 'admin' }, [{ name: 'main', executor: 'until-stopped', dependsOn: [], spec: {} }])
    await expect.poll(() => store!.jobs.tasks(job.id)[0].status).toBe('running')
    store.db.exec('DELETE FROM engine_heartbeat')
    const restartedAt = Date.now()
    const second = new Engine({ store, executors })
    engines.push(second)
    second.recover()
    const ended = await second.waitFor(job.id)
    expect(ended.status).toBe('failed')
    expect(ended.finishedAt).toBeGreaterThanOrEqual(restartedAt)
  })
})
