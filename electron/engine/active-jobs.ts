// The engine's live jobs (queued, running or waiting), with what each submitter's of them hold in
// its memory kept as a running count. Every live job is held whole, with all its tasks, until it
// ends: a Rill Flow suspense task without timeout waits for good, so one user's waiting executions
// grew the heap without end (atk15). The counts let each submit be weighed against the submitter's
// bound (shared/quotas.ts assertHeldRoom) without walking the live jobs or their tasks.

import type { ActiveJob } from './active-job'

/** What one submitter's live jobs hold: how many jobs, and how many tasks in all. */
export interface HeldWork {
  jobs: number
  tasks: number
}

/**
 * A Map of live jobs by id whose set and delete keep each submitter's HeldWork up to date. A job's
 * tasks are counted when it is set; a live job whose tasks change (a foreach's fan-out, a redo that
 * removes some) is counted again by `recount`. Setting a job already live counts it again, not twice.
 */
export class ActiveJobs extends Map<number, ActiveJob> {
  /** Each live job's submitter and the tasks it was counted with. */
  private readonly counted = new Map<number, { submitter: string; tasks: number }>()
  private readonly bySubmitter = new Map<string, HeldWork>()

  override set(id: number, job: ActiveJob): this {
    super.set(id, job)
    // Map's constructor calls set before the fields exist; the engine never passes it entries
    if (this.counted) this.count(id, job.rec.submitter, job.tasks.size)
    return this
  }

  override delete(id: number): boolean {
    const c = this.counted.get(id)
    if (c) {
      this.add(c.submitter, -1, -c.tasks)
      this.counted.delete(id)
    }
    return super.delete(id)
  }

  override clear(): void {
    this.counted.clear()
    this.bySubmitter.clear()
    super.clear()
  }

  /** Counts a live job's tasks again after they changed (added or removed); a job not live is left alone. */
  recount(job: ActiveJob): void {
    if (this.get(job.rec.id) === job) this.count(job.rec.id, job.rec.submitter, job.tasks.size)
  }

  /** What `submitter`'s live jobs hold now ({0, 0} for one with none). */
  heldBy(submitter: string): HeldWork {
    const h = this.bySubmitter.get(submitter)
    return h ? { ...h } : { jobs: 0, tasks: 0 }
  }

  private count(id: number, submitter: string, tasks: number): void {
    const before = this.counted.get(id)
    if (before) this.add(before.submitter, -1, -before.tasks)
    this.counted.set(id, { submitter, tasks })
    this.add(submitter, 1, tasks)
  }

  private add(submitter: string, jobs: number, tasks: number): void {
    const h = this.bySubmitter.get(submitter) ?? { jobs: 0, tasks: 0 }
    h.jobs += jobs
    h.tasks += tasks
    if (h.jobs === 0) this.bySubmitter.delete(submitter)
    else this.bySubmitter.set(submitter, h)
  }
}
