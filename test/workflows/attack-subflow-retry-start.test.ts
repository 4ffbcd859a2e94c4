// Attack (atk33) on the deferred sub-flow start (runtime/driver.ts startChild, atk30's fix): the
// deferred start is skipped when the task's runtime already names a child
// (`referencedExecutionId`), to start each attempt's child once. But a retry keeps the runtime of the
// attempt before (the engine drops only `held` and its deadline: engine.ts unhold), so the retried
// attempt of a flow_sync task whose child FAILED finds the first child's id, starts nothing, and
// holds for a child that never comes: the execution stays RUNNING for ever (or until a timeline
// timeout), its retries never run. Before the deferral every attempt started its own child.
// Measured: after 20 s, parent RUNNING, one child started, the task in attempt 2 holding.
// Expected (rillflow.md: retry of a function task re-dispatches it): the second attempt starts a
// second child; both fail, and the execution FAILED with the task's two attempts.
import { expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

it('a retried flow_sync task starts a new child for its second attempt', async () => {
  // the child fails at once: its one function task calls a port nothing listens on
  await s.rill.addDescriptor('workspace: subretry\ndagName: leaf\ntype: flow\ntasks:\n  - {category: function, name: f, pattern: task_sync, resourceName: "http://127.0.0.1:9/never"}\n')
  await s.rill.addDescriptor(
    'workspace: subretry\ndagName: parent\ntype: flow\ntasks:\n  - {category: function, name: sub, pattern: flow_sync, resourceName: "rillflow://subretry:leaf", retry: {maxRetryTimes: 1, intervalInSeconds: 0}}\n',
  )
  const id = await s.rill.submit('subretry:parent')
  const ret = await s.rill.finished(id, 20_000).catch((e: Error) => ({ dag_status: `not finished: ${e.message}` }))
  const jobId = s.t.app.store.jobs.idOfUuid(uuidOfExecutionId(id))!
  const task = s.t.app.store.jobs.task(jobId, 'sub')!
  const children = s.t.app.store.jobs.descendantCount(jobId)
  if (ret.dag_status !== 'FAILED') s.t.app.engine.cancel(jobId)
  expect({ status: ret.dag_status, attempt: task.attempt, children }).toEqual({ status: 'FAILED', attempt: 2, children: 2 })
}, 60_000)
