// Engine.redo of a job whose stop is under way (cancelling: beginStop ends its tasks a slice at a time)
// is refused before it changes anything, whoever asks (graph workflows' redo and the graph service call
// engine.redo directly; Rill Flow's redo.json and the native workflows.redo wait for the stop first,
// test/workflows/redo-cancelling.test.ts). atk18 found it reset the named task and dropped a foreach's
// sub-tasks in the store, then threw 'illegal job transition cancelling -> running' (a 500): the job
// ended cancelled holding a pending task. Once the stop has ended, the redo re-opens the job whole.
import { describe, expect, it, onTestFinished } from 'vitest'
import { gatedWideJob, makeEngine, submit } from '../support/engine'
import { settle } from '../support/manual-clock'
import { tempStore } from '../support/temp-store'

const WIDE = 3000

describe('redo of a job being stopped', () => {
  it('is refused (409 job_stopping) with nothing changed, and re-opens the job once the stop has ended', async () => {
    const t = tempStore()
    const engine = makeEngine(t.store)
    onTestFinished(() => {
      void engine.stop(0)
      t.cleanup()
    })
    const job = submit(engine, gatedWideJob(WIDE))
    await settle()
    expect(engine.cancel(job.id).status).toBe('cancelling')
    const before = t.store.jobs.taskCountsByStatus(job.id)
    expect(before.pending).toBeGreaterThan(0) // the stop is under way

    for (const names of [['w1'], null, ['gate']]) {
      expect(() => engine.redo(job.id, names), JSON.stringify(names)).toThrow(expect.objectContaining({ kind: 'conflict', code: 'job_stopping' }))
    }
    expect(engine.job(job.id)!.status).toBe('cancelling')
    expect(t.store.jobs.task(job.id, 'w1')!.status).not.toBe('running')

    // the stop ends as it began: every task cancelled, none left pending by a redo
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('cancelled')
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ cancelled: WIDE + 1 })

    // ended, it runs again whole: the redo re-opens it, nothing of the stop left to end it again
    expect(engine.redo(job.id, ['gate']).status).toBe('running')
    await settle()
    expect(t.store.jobs.get(job.id)!.status).toBe('running')
    expect(t.store.jobs.taskCountsByStatus(job.id)).toEqual({ running: 1, pending: WIDE })
    expect(engine.cancel(job.id).status).toBe('cancelling')
    expect((await engine.waitFor(job.id)).status).toBe('cancelled')
  })
})
