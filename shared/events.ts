// Events pushed from main to the renderer (IPC) and to HTTP clients (server-sent events).
import type { JobSummary, LogLine, TaskView } from './model'

export interface AppEvents {
  'job.changed': { job: JobSummary }
  'task.changed': { jobId: number; task: TaskView }
  /**
   * New lines of a job's log. Over HTTP a flood is thinned: `dropped` lines (older than these) were
   * left out of the live stream, and a viewer that shows the whole log fetches them (jobs.logs).
   */
  'log.appended': { jobId: number; lines: LogLine[]; dropped?: number }
}
export type AppEventName = keyof AppEvents
export type AppEvent = { [K in AppEventName]: { type: K; data: AppEvents[K] } }[AppEventName]

export const APP_EVENT_NAMES: readonly AppEventName[] = ['job.changed', 'task.changed', 'log.appended']
