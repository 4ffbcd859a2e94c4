import { EventEmitter } from 'node:events'
import type { AppEventName, AppEvents, OmittedTaskValues, WorkflowChange } from '../../shared/events'
import type { LogLine } from '../../shared/model'
import { jsonBytesWithin } from '../json-bytes'
import { toJobSummary, toTaskView, type TaskRecord } from '../store/job.repository'
import { RAW_VALUE_BYTES } from '../store/raw-json'
import type { NewLogLine } from '../store/log.repository'
import type { ActiveJob, ActiveTask } from './active-job'
import type { LogBatch } from './job-logs'

export type PendingLog = NewLogLine & { taskName: string | null }

/** Turns committed changes into the pushed events of shared/events.ts; builds nothing nobody listens to. */
export class EngineEvents {
  private readonly emitter = new EventEmitter().setMaxListeners(0)

  /**
   * `onError` hears what a listener throws: a listener's bug never reaches the commit that emitted.
   * `storedBytes` gives a task's stored input and output sizes in bytes (store.jobs.taskValueBytes).
   */
  constructor(
    private readonly onError: (error: unknown, jobId: number | null) => void,
    private readonly storedBytes: (taskId: number) => { input: number | null; output: number | null } | undefined,
  ) {}

  on<K extends AppEventName>(name: K, listener: (data: AppEvents[K]) => void): () => void {
    const guarded = (data: AppEvents[K]) => {
      try {
        listener(data)
      } catch (e) {
        this.onError(e, jobIdOf(data))
      }
    }
    this.emitter.on(name, guarded)
    return () => this.emitter.off(name, guarded)
  }

  job(job: ActiveJob): void {
    if (this.emitter.listenerCount('job.changed')) this.emitter.emit('job.changed', { job: toJobSummary(job.rec, job.tasks.size) })
  }

  /** A workflow's change (stored descriptors are not the engine's, but its listeners are everyone's). */
  workflow(change: WorkflowChange): void {
    this.emitter.emit('workflow.changed', change)
  }

  /**
   * A commit's changes: its log lines first, then its tasks and jobs, so that a listener has a job's
   * last lines when it hears of its end (a commit may hold both).
   */
  emitChanges(tasks: Set<ActiveTask>, jobs: Set<ActiveJob>, batch: Pick<LogBatch, 'lines' | 'truncations'>): void {
    this.emitLogs(batch)
    if (this.emitter.listenerCount('task.changed')) {
      for (const t of tasks) this.emitter.emit('task.changed', this.taskChanged(t.rec))
    }
    for (const j of jobs) this.job(j)
  }

  private emitLogs(batch: Pick<LogBatch, 'lines' | 'truncations'>): void {
    if ((!batch.lines.length && !batch.truncations.length) || !this.emitter.listenerCount('log.appended')) return
    const byJob = new Map<number, LogLine[]>()
    const add = (jobId: number, line: LogLine) => {
      const list = byJob.get(jobId) ?? []
      list.push(line)
      byJob.set(jobId, list)
    }
    for (const l of batch.lines) add(l.jobId, { seq: l.seq, time: l.time, level: l.level, text: l.text, task: l.taskName, ...(l.stream === 'stderr' ? { stream: l.stream } : {}) })
    // A cut's note is a line of the log too (its text is rewritten as more is dropped).
    for (const c of batch.truncations) add(c.jobId, { seq: c.markerSeq, ...c.marker, task: null })
    for (const [jobId, lines] of byJob) this.emitter.emit('log.appended', { jobId, lines: lines.sort((a, b) => a.seq - b.seq) })
  }

  /**
   * A task's event, its input and output carried only up to RAW_VALUE_BYTES of JSON each: a larger
   * one is left out (null) and its stored size said in `omitted` (shared/events.ts). Finding that
   * costs at most RAW_VALUE_BYTES of counting (jsonBytesWithin), and the event is serialized once
   * for all streams (http/native/event-stream.ts).
   */
  private taskChanged(rec: TaskRecord): AppEvents['task.changed'] {
    const task = toTaskView(rec)
    let omitted: OmittedTaskValues | undefined
    for (const field of ['input', 'output'] as const) {
      if (jsonBytesWithin(task[field], RAW_VALUE_BYTES) !== undefined) continue
      // the event follows its commit: the stored value is this one
      omitted = { ...omitted, [field]: this.storedBytes(rec.id)?.[field] ?? 0 }
      task[field] = null
    }
    return omitted ? { jobId: rec.jobId, task, omitted } : { jobId: rec.jobId, task }
  }
}

function jobIdOf(data: unknown): number | null {
  const d = data as { jobId?: unknown; job?: { id?: unknown } }
  const id = d?.jobId ?? d?.job?.id
  return typeof id === 'number' ? id : null
}
