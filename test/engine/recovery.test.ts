import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { groupMembers } from '../../electron/executors/process-tree'
import { cleanStaleRunCgroups, runConfinement } from '../../electron/executors/run-cgroup'
import { noopExecutor } from '../../electron/executors/noop'
import { createShellExecutor } from '../../electron/executors/process'
import { openStore, type Store } from '../../electron/store'
import { sleepers, uniqueSleep } from '../support/processes'
import { supportScriptArgs } from '../support/support-script'
import { tempDir } from '../support/temp-store'
import { existsSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'

let store: Store | undefined
let engine: Engine | undefined
let dir: string | undefined
afterEach(() => {
  engine?.stop()
  store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Starts the crash worker and resolves with what it reports once its jobs are mid-flight. */
function startWorker(dataDir: string, escapee: number): Promise<{ child: ReturnType<typeof spawn>; info: { scriptJob: number; pureJob: number; pgid: number; cgroup: string | null } }> {
  const child = spawn(process.execPath, [...supportScriptArgs('crash-worker'), dataDir, String(escapee)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  return new Promise((resolvePromise, reject) => {
    child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)))
    createInterface({ input: child.stdout! }).once('line', (line) => resolvePromise({ child, info: JSON.parse(line) }))
  })
}

describe('recovery after kill -9', () => {
  it('finds every job: resumes safe tasks, fails interrupted scripts honestly and kills what they left', async () => {
    dir = tempDir()
    const escapee = uniqueSleep()
    const { child, info } = await startWorker(dir, escapee)
    await expect.poll(() => sleepers(escapee).length).toBe(1)
    await expect.poll(() => sleepers(escapee + 1).length).toBe(1)
    expect(groupMembers(info.pgid, null).length).toBeGreaterThan(0)
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))
    expect(groupMembers(info.pgid, null).length).toBeGreaterThan(0) // orphans survive their parent's crash

    const confined = runConfinement().kind !== 'none'
    expect(info.cgroup !== null).toBe(confined) // the worker ran on this machine: it found the same
    cleanStaleRunCgroups() // what startApp does first when JobDesk starts again
    store = openStore(join(dir, 'jobdesk.db'))
    expect(store.jobs.get(info.scriptJob)!.status).toBe('running')
    engine = new Engine({
      store,
      executors: new ExecutorRegistry([noopExecutor, createShellExecutor({ workRoot: join(dir, 'work') })]),
    })
    const report = engine.recover()
    expect(report).toEqual({ jobs: 2, resumedTasks: 1, failedTasks: 1 })
    await expect.poll(() => groupMembers(info.pgid, null), { timeout: 2000 }).toEqual([]) // the orphaned sleeps are gone
    expect(sleepers(escapee)).toEqual([]) // and the one that left the group (found by its run's marker)
    if (confined) {
      await expect.poll(() => sleepers(escapee + 1), { timeout: 2000 }).toEqual([]) // and the one without marker or parent (found by its run's cgroup)
      await expect.poll(() => existsSync(info.cgroup!), { timeout: 5000 }).toBe(false) // whose cgroup is removed
      await expect.poll(() => existsSync(dirname(info.cgroup!)), { timeout: 5000 }).toBe(false) // as is the crashed JobDesk's folder (cleaned at start)
    } else {
      for (const pid of sleepers(escapee + 1)) process.kill(pid, 'SIGKILL') // unreachable without a cgroup (JobDesk warns at start)
    }

    const script = await engine.waitFor(info.scriptJob)
    expect(script.status).toBe('failed')
    expect(script.error).toMatch(/^task sleeper: interrupted: JobDesk stopped while this task was running/)
    const pure = await engine.waitFor(info.pureJob)
    expect(pure.status).toBe('succeeded')
    const slow = store.jobs.tasks(info.pureJob).find((t) => t.name === 'slow')!
    expect(slow).toMatchObject({ status: 'succeeded', attempt: 2 })
    const log = store.logs.read(info.pureJob, 0, 50).lines.map((l) => l.text)
    expect(log).toContain('JobDesk restarted: task slow was interrupted and runs again (attempt 2)')
  }, 30_000)
})
