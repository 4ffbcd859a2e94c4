// Jobs that only wait, for the quota tests: they hold their submitter's places without doing anything.
import type { Engine } from '../../electron/engine/engine'
import type { NewJob, NewTask } from '../../electron/store/job.repository'

/**
 * Submits `n` jobs of `submitter` in one batch (in-process: a thousand HTTP calls would take long),
 * each of one noop task that waits ten minutes; resolves as engine.submitMany does.
 */
export const waitingJobs = (engine: Engine, submitter: string, n: number) =>
  engine.submitMany(
    Array.from({ length: n }, (_, i): { job: NewJob; tasks: NewTask[] } => ({
      job: { uuid: `${submitter}-wait-${Date.now()}-${i}`, kind: 'script', name: `wait ${i}`, submitter },
      tasks: [{ name: 'main', executor: 'noop', spec: { delayMs: 600_000 } }],
    })),
  )
