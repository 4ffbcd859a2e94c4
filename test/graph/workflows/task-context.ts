// The TaskContext the engine gives a graph workflow's component task, for tests that run the component
// executor directly (no engine around it).
import type { TaskContext } from '../../../electron/engine/executor'
import type { ComponentTaskSpec } from '../../../electron/graph/workflows/component.executor'
import type { Store } from '../../../electron/store'

/**
 * A first attempt's context for task `taskName` (default `query_1`) of job `jobId` in `store`, run by the
 * admin: no input, a signal never aborted, logs and runtime notes dropped. Throws if the job has no such task.
 */
export function componentTaskContext(store: Store, jobId: number, spec: ComponentTaskSpec, taskName = 'query_1'): TaskContext {
  const job = store.jobs.get(jobId)
  const task = store.jobs.task(jobId, taskName)
  if (!job || !task) throw new Error(`job ${jobId} has no task ${taskName}`)
  return {
    jobId,
    jobUuid: job.uuid,
    submitter: 'admin',
    taskId: task.id,
    taskName,
    attempt: 1,
    spec: spec as unknown as Record<string, unknown>,
    input: null,
    signal: new AbortController().signal,
    log: () => undefined,
    setRuntime: () => undefined,
  }
}
