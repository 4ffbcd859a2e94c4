// Events pushed from main to the renderer (IPC) and to HTTP clients (server-sent events).
import type { JobSummary, LogLine, TaskView } from './model'

export interface AppEvents {
  'job.changed': { job: JobSummary }
  'task.changed': { jobId: number; task: TaskView }
  'log.appended': { jobId: number; lines: LogLine[] }
}
export type AppEventName = keyof AppEvents
export type AppEvent = { [K in AppEventName]: { type: K; data: AppEvents[K] } }[AppEventName]

export const APP_EVENT_NAMES: readonly AppEventName[] = ['job.changed', 'task.changed', 'log.appended']
