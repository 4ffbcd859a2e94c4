// Events pushed from main to the renderer (IPC) and to HTTP clients (server-sent events).
import type { JobSummary, LogLine, TaskView } from './model'

export interface AppEvents {
  'job.changed': { job: JobSummary }
  /**
   * A task changed. Its input or output over 64 kB of JSON (electron/store/raw-json.ts RAW_VALUE_BYTES) is not carried (null in
   * `task`); `omitted` gives its stored size in bytes, and a view that shows it fetches the job's
   * detail (jobs.get), which carries every value whole. Megabytes of task values serialized on
   * every change and written to every open stream held the server's main thread (#9 §2).
   */
  'task.changed': { jobId: number; task: TaskView; omitted?: OmittedTaskValues }
  /**
   * New lines of a job's log. Over HTTP a flood is thinned: `dropped` lines (older than these) were
   * left out of the live stream, and a viewer that shows the whole log fetches them (jobs.logs).
   * `cut` characters of the event's last line were left out too (its text ends with a note saying
   * so; the stored line is whole).
   */
  'log.appended': { jobId: number; lines: LogLine[]; dropped?: number; cut?: number }
  /** A workflow (Rill Flow descriptor) changed, from any dialect or window: lists and the open workflow refetch on it. */
  'workflow.changed': WorkflowChange
}

/** The task values a `task.changed` event left out, each with its stored size in bytes of JSON. */
export interface OmittedTaskValues {
  input?: number
  output?: number
}

/**
 * What changed in a workflow: `created` (its first version), `version` (another version stored),
 * `alias` (an alias pointed at `version`, or removed when `version` is absent), `deleted`. `owner`
 * is whose it is: a user's event stream carries only their own workflows' changes (admins get all).
 */
export interface WorkflowChange {
  workspace: string
  name: string
  owner: string
  change: 'created' | 'version' | 'alias' | 'deleted'
  version?: string
  alias?: string
}
export type AppEventName = keyof AppEvents
export type AppEvent = { [K in AppEventName]: { type: K; data: AppEvents[K] } }[AppEventName]

/**
 * Sent on a user's event stream just before the server ends it because the account was disabled:
 * `data: {"reason": "The account bob is disabled; ask an admin."}`. Not an AppEvent (nothing else
 * emits it): the web UI signs out with the reason instead of a bare "session ended".
 */
export const SESSION_ENDED_EVENT = 'session.ended'
export interface SessionEnded {
  reason: string
}

export const APP_EVENT_NAMES: readonly AppEventName[] = ['job.changed', 'task.changed', 'log.appended', 'workflow.changed']
