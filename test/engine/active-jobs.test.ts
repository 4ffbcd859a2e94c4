// The engine's live jobs keep each submitter's held jobs and tasks as a running count (active-jobs.ts):
// what a submit is weighed against (shared/quotas.ts MAX_HELD_WORK_PER_USER) without walking the jobs.
import { describe, expect, it } from 'vitest'
import type { ActiveJob } from '../../electron/engine/active-job'
import { ActiveJobs } from '../../electron/engine/active-jobs'

/** The fields ActiveJobs reads of a live job: its id, submitter, status and tasks. */
const job = (id: number, submitter: string, tasks: number, status = 'running') =>
  ({ rec: { id, submitter, status }, tasks: new Map(Array.from({ length: tasks }, (_, i) => [`t${i}`, {}])) }) as unknown as ActiveJob

describe('ActiveJobs', () => {
  it('counts each submitter’s live jobs and their tasks as they come and go', () => {
    const live = new ActiveJobs()
    live.set(1, job(1, 'eve', 500)).set(2, job(2, 'eve', 3)).set(3, job(3, 'bob', 7))
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 503 })
    expect(live.heldBy('bob')).toEqual({ jobs: 1, tasks: 7 })
    expect(live.heldBy('carol')).toEqual({ jobs: 0, tasks: 0 })
    live.delete(1)
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 3 })
    live.delete(1) // gone already: nothing more taken off
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 3 })
  })

  it('counts a job set again (a redo) and one whose tasks grew (a fan-out) once, with the tasks it has now', () => {
    const live = new ActiveJobs()
    const j = job(1, 'eve', 2)
    live.set(1, j)
    j.tasks.set('more', {} as never)
    live.recount(j)
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 3 })
    j.tasks.delete('t0')
    live.set(1, j)
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 2 })
    live.recount(job(9, 'eve', 100)) // not live: left alone
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 2 })
    live.clear()
    expect(live.heldBy('eve')).toEqual({ jobs: 0, tasks: 0 })
  })

  it('counts each submitter’s queued jobs, and a job that starts leaves them once recounted', () => {
    const live = new ActiveJobs()
    const a = job(1, 'eve', 1, 'queued')
    live.set(1, a).set(2, job(2, 'eve', 1, 'queued')).set(3, job(3, 'eve', 1)).set(4, job(4, 'bob', 1, 'queued'))
    expect(live.queuedBy('eve')).toBe(2)
    a.rec.status = 'running'
    live.recount(a)
    expect(live.queuedBy('eve')).toBe(1)
    live.delete(2)
    expect([live.queuedBy('eve'), live.queuedBy('bob'), live.queuedBy('carol')]).toEqual([0, 1, 0])
  })

  it('counts what a job reserved with its tasks: drawn down as they are added, released by its task or with the job', () => {
    const live = new ActiveJobs()
    const j = job(1, 'eve', 2)
    live.set(1, j).set(2, job(2, 'eve', 1))
    live.reserve(j, 'each', 600)
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 603 })
    expect(live.reservedFor(j, 'each')).toBe(600)
    // a group's task added: drawn from the reservation, the count stays
    j.tasks.set('each_0-a', {} as never)
    live.drawDown(j, 'each', 1)
    live.recount(j)
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 603 })
    expect(live.reservedFor(j, 'each')).toBe(599)
    // reserved again (a restart's recount): in place of what it was, not beside it
    live.reserve(j, 'each', 10)
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 14 })
    live.reserve(j, 'inner', 5)
    live.release(j, 'each') // its task ended
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 9 })
    live.release(j) // a redo: all of it
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 4 })
    live.reserve(j, 'each', 50)
    live.delete(1) // the job's end takes its reservation with it
    expect(live.heldBy('eve')).toEqual({ jobs: 1, tasks: 1 })
    live.set(1, j) // live again (a redo): nothing reserved is left over
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 4 })
    live.reserve(job(9, 'eve', 1), 'each', 100) // not live: left alone
    expect(live.heldBy('eve')).toEqual({ jobs: 2, tasks: 4 })
  })
})
