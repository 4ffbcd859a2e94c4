import type { Store } from '../store'
import { newTaskRecord, type NewTask, type TaskRecord } from '../store/job.repository'

/**
 * Tasks a driver added to a running job (a foreach's groups, a choice's branch) while another
 * program held the database's write lock (#9 §2): kept in memory under stand-in ids (negative, which
 * no stored task has) and stored by the engine's next commit that gets the lock, which gives each
 * record its real id in place. Nothing acts on them before that: executors start after a commit.
 */
export class UnsavedTasks {
  private waiting: { jobId: number; rec: TaskRecord; task: NewTask }[] = []
  private nextId = -1
  /**
   * Stand-in id → the record that had it, so a log line queued under the stand-in gets the real id
   * when written. Emptied of the stored ones by settle() (the lines still queued are given the real
   * ids then) and of a dropped job's by forget(): otherwise each lock would pin its records (input,
   * output) for the app's life.
   */
  private readonly stoodFor = new Map<number, TaskRecord>()

  /** Tasks waiting to be stored. */
  get size(): number {
    return this.waiting.length
  }

  /** The jobs with tasks waiting. */
  jobIds(): Set<number> {
    return new Set(this.waiting.map((w) => w.jobId))
  }

  /** Records (pending, stand-in ids) for `tasks` added to job `jobId`, stored by the next insert(). */
  add(jobId: number, tasks: NewTask[]): TaskRecord[] {
    return tasks.map((task) => {
      const rec = newTaskRecord(jobId, task, this.nextId--)
      this.waiting.push({ jobId, rec, task })
      this.stoodFor.set(rec.id, rec)
      return rec
    })
  }

  /**
   * Stores the waiting tasks, in the order they were added, with their records' state now, and gives
   * the records their real ids. Call inside the commit's transaction, before the records are saved.
   * Returns an undo for a transaction that then fails: the stand-in ids back, the tasks waiting again.
   */
  insert(store: Store): () => void {
    const batch = this.waiting
    if (!batch.length) return () => {}
    this.waiting = []
    const given: [TaskRecord, number][] = []
    const undo = () => {
      for (const [rec, id] of given) rec.id = id
      this.waiting = [...batch, ...this.waiting]
    }
    try {
      for (let i = 0; i < batch.length; ) {
        let end = i + 1
        while (end < batch.length && batch[end].jobId === batch[i].jobId) end++
        const run = batch.slice(i, end)
        const stored = store.jobs.addTasks(batch[i].jobId, run.map((w) => w.task))
        run.forEach((w, k) => {
          given.push([w.rec, w.rec.id])
          w.rec.id = stored[k].id
          store.jobs.saveTask(w.rec) // what the driver did to it meanwhile (queued, its input)
        })
        i = end
      }
    } catch (e) {
      undo()
      throw e
    }
    return undo
  }

  /** The task id a log line is stored with: a stand-in's real one once it has one. */
  idOf(taskId: number | null): number | null {
    return taskId !== null && taskId < 0 ? (this.stoodFor.get(taskId)?.id ?? taskId) : taskId
  }

  /**
   * After the transaction insert() ran in committed: forgets the stand-ins of the tasks it stored.
   * @returns stand-in id → real id of each, for the log lines still queued under the stand-in (JobLogs.renumber)
   */
  settle(): Map<number, number> {
    const stored = new Map<number, number>()
    for (const [standIn, rec] of this.stoodFor) {
      if (rec.id < 0) continue // still waiting (added after the insert, or its transaction undone)
      stored.set(standIn, rec.id)
      this.stoodFor.delete(standIn)
    }
    return stored
  }

  /** Drops a job's waiting tasks (the job failed; they are never stored) and its stand-ins. */
  forget(jobId: number): void {
    this.waiting = this.waiting.filter((w) => w.jobId !== jobId)
    for (const [standIn, rec] of this.stoodFor) if (rec.jobId === jobId) this.stoodFor.delete(standIn)
  }
}
