// The engine's live jobs (queued, running or waiting), with what each submitter's of them hold in
// its memory kept as a running count. Every live job is held whole, with all its tasks, until it
// ends: a Rill Flow suspense task without timeout waits for good, so one user's waiting executions
// grew the heap without end (atk15). The counts let each submit be weighed against the submitter's
// bounds (shared/quotas.ts assertHeldRoom, assertQueueRoom) without walking the live jobs or their
// tasks: a walk of 100k live jobs for the queued ones took ~15 ms of each submit.

import type { HeldWorkCount } from '../../shared/quotas'
import type { ActiveJob } from './active-job'

/** What one submitter's live jobs hold: how many jobs, and how many tasks in all. */
export type HeldWork = HeldWorkCount

/**
 * A Map of live jobs by id whose set and delete keep each submitter's HeldWork, and how many of their
 * jobs are queued, up to date. A job is counted when it is set; a live job whose tasks or status
 * change (a foreach's fan-out, a redo that removes some, a start) is counted again by `recount`.
 * Setting a job already live counts it again, not twice.
 *
 * A job holds its tasks and the tasks its accepted fan-outs will still add (`reserve`): a foreach
 * weighed whole at its start (JobControl.roomFor) but adding its groups' tasks a few at a time
 * (maxConcurrency) let a second one of the same user pass the same check, and one of them was failed
 * midway after hundreds of its groups ran (#9). A reservation is drawn down as its tasks are added
 * (`drawDown`), and goes with its task's end (`release`) or its job's (`delete`).
 */
export class ActiveJobs extends Map<number, ActiveJob> {
  /** Each live job's submitter, the tasks it was counted with, and whether it was counted queued. */
  private readonly counted = new Map<number, { submitter: string; tasks: number; queued: boolean }>()
  private readonly bySubmitter = new Map<string, HeldWork & { queued: number }>()
  /** Each live job's reservations: tasks still to be added, by the task (a foreach) whose fan-out adds them, and their sum. */
  private readonly reserved = new Map<number, { byTask: Map<string, number>; total: number }>()

  override set(id: number, job: ActiveJob): this {
    super.set(id, job)
    // Map's constructor calls set before the fields exist; the engine never passes it entries
    if (this.counted) this.count(id, job)
    return this
  }

  override delete(id: number): boolean {
    const c = this.counted.get(id)
    if (c) {
      this.add(c.submitter, -1, -c.tasks, c.queued ? -1 : 0)
      this.counted.delete(id)
    }
    this.reserved.delete(id)
    return super.delete(id)
  }

  override clear(): void {
    this.counted.clear()
    this.reserved.clear()
    this.bySubmitter.clear()
    super.clear()
  }

  /** Counts a live job again after its tasks (added or removed) or its status changed; a job not live is left alone. */
  recount(job: ActiveJob): void {
    if (this.get(job.rec.id) === job) this.count(job.rec.id, job)
  }

  /**
   * Reserves `tasks` (0 or more) that `task`'s fan-out will still add to live `job`, in place of what it
   * reserved before: counted in what its submitter holds (heldBy) until added or released. A job not
   * live is left alone.
   */
  reserve(job: ActiveJob, task: string, tasks: number): void {
    if (this.get(job.rec.id) !== job) return
    let r = this.reserved.get(job.rec.id)
    if (!r) this.reserved.set(job.rec.id, (r = { byTask: new Map(), total: 0 }))
    r.total += tasks - (r.byTask.get(task) ?? 0)
    if (tasks > 0) r.byTask.set(task, tasks)
    else r.byTask.delete(task)
    this.count(job.rec.id, job)
  }

  /** The tasks `task` of `job` has reserved and not yet added (0 when none). */
  reservedFor(job: ActiveJob, task: string): number {
    return this.reserved.get(job.rec.id)?.byTask.get(task) ?? 0
  }

  /**
   * Draws `added` tasks, just added to `job` by `task`'s fan-out, from its reservation (what is past it
   * was weighed as an addition of its own); the caller recounts the job with them (`recount`).
   */
  drawDown(job: ActiveJob, task: string, added: number): void {
    const r = this.reserved.get(job.rec.id)
    const left = r?.byTask.get(task)
    if (!r || left === undefined) return
    const taken = Math.min(left, added)
    r.total -= taken
    if (left > taken) r.byTask.set(task, left - taken)
    else r.byTask.delete(task)
  }

  /** Releases what `task` of `job` reserved (it ended, or was reset), or, without `task`, all the job reserved (a redo); recounts it. */
  release(job: ActiveJob, task?: string): void {
    const r = this.reserved.get(job.rec.id)
    if (!r) return
    if (task === undefined) this.reserved.delete(job.rec.id)
    else {
      const left = r.byTask.get(task)
      if (left === undefined) return
      r.byTask.delete(task)
      r.total -= left
    }
    this.recount(job)
  }

  /** What `submitter`'s live jobs hold now ({0, 0} for one with none). */
  heldBy(submitter: string): HeldWork {
    const h = this.bySubmitter.get(submitter)
    return h ? { jobs: h.jobs, tasks: h.tasks } : { jobs: 0, tasks: 0 }
  }

  /** How many of `submitter`'s live jobs are queued (stored, not yet started). */
  queuedBy(submitter: string): number {
    return this.bySubmitter.get(submitter)?.queued ?? 0
  }

  private count(id: number, job: ActiveJob): void {
    const before = this.counted.get(id)
    if (before) this.add(before.submitter, -1, -before.tasks, before.queued ? -1 : 0)
    const now = { submitter: job.rec.submitter, tasks: job.tasks.size + (this.reserved.get(id)?.total ?? 0), queued: job.rec.status === 'queued' }
    this.counted.set(id, now)
    this.add(now.submitter, 1, now.tasks, now.queued ? 1 : 0)
  }

  private add(submitter: string, jobs: number, tasks: number, queued: number): void {
    const h = this.bySubmitter.get(submitter) ?? { jobs: 0, tasks: 0, queued: 0 }
    h.jobs += jobs
    h.tasks += tasks
    h.queued += queued
    if (h.jobs === 0) this.bySubmitter.delete(submitter)
    else this.bySubmitter.set(submitter, h)
  }
}
