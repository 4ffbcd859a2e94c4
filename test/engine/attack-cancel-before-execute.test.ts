// attack3 (#9 §5): a task started while another connection holds jobdesk.db's write lock (JobDesk's own
// SQL jobs writing their result rows, over HTTP) is `running` in memory, its executor to run once the
// start is committed (afterCommit). A cancel meanwhile ended it as `cancelled` at once, since it had no
// executor to abort yet; then the lock went, the executor ran anyway (a SQL job wrote all its 600,000
// rows), and its end hit "illegal task transition cancelled → succeeded": the job ended failed,
// "settling task main failed unexpectedly", its task cancelled and its result set complete (3 of 30
// jobs of a run of cancels beside big SQL jobs; with a timeout, "cancelled → timed_out").
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Executor } from '../../electron/engine/executor'
import { lockedEngine } from '../support/locked-engine'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('a task cancelled after its start, before its executor ran (the start not yet saved: write lock)', () => {
  it('never runs its executor, and its job ends cancelled, not failed', async () => {
    let openFirst: () => void = () => {}
    const firstGate = new Promise<void>((r) => (openFirst = r))
    let firstStarted = false
    const runs: string[] = []
    const gated: Executor = {
      name: 'gated',
      resumable: false,
      run: async (ctx) => {
        runs.push(String(ctx.jobId))
        if (!firstStarted) {
          firstStarted = true
          await firstGate
        }
        return { output: 'all rows written' }
      },
    }
    const { store, engine, other, errors } = lockedEngine({ busyTimeoutMs: 50, executors: [gated], engine: { concurrency: 1, newcomerLane: 0 }, beforeClose: openFirst })
    const first = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'first', submitter: 'bob' }, [{ name: 'main', executor: 'gated', dependsOn: [], spec: {} }])
    while (!firstStarted) await sleep(10)
    const second = engine.submit({ uuid: randomUUID(), kind: 'dag', name: 'second', submitter: 'bob' }, [{ name: 'main', executor: 'gated', dependsOn: [], spec: {} }])
    other.exec('BEGIN IMMEDIATE') // as a SQL job writing its rows holds it
    try {
      openFirst() // the first ends: its slot goes to the second, whose start cannot be saved yet
      const deadline = Date.now() + 5000
      while (engine.liveTasks(second.id, ['main'])?.[0]?.status !== 'running' && Date.now() < deadline) await sleep(10)
      expect(engine.liveTasks(second.id, ['main'])?.[0]?.status).toBe('running')
      expect(runs).toEqual([String(first.id)]) // started, not executing: that waits for the commit
      engine.cancel(second.id)
    } finally {
      other.exec('COMMIT')
    }
    const rec = await engine.waitFor(second.id)
    // failed before: the executor ran once the lock went, and "illegal task transition cancelled → succeeded" failed the job
    expect(runs).toEqual([String(first.id)])
    expect(rec).toMatchObject({ status: 'cancelled', error: 'cancelled by user' })
    expect(store.jobs.tasks(second.id)[0]).toMatchObject({ status: 'cancelled' })
    expect(errors).toEqual([])
    expect((await engine.waitFor(first.id)).status).toBe('succeeded')
  }, 20_000)
})
