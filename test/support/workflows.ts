// Rill Flow descriptors more than one test file runs.
import { expect } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { isTerminalJob, type TaskStatus } from '../../shared/status'
import { until } from './until'

/** A choice `pick` on `$.context.n`: branch `big` when n > 5, `small` otherwise (a task list entry, at tasks' indent). */
export const PICK_CHOICE = `  - category: choice
    name: pick
    inputMappings: [{source: $.context.n, target: $.input.n}]
    choices:
      - {condition: "$.input.[?(@.n > 5)]", tasks: [{category: pass, name: big}]}
      - {condition: "$.input.[?(@.n <= 5)]", tasks: [{category: pass, name: small}]}
`

/** A group's task `hold` (at a foreach's task indent): a suspense that waits until woken with `{go: true}` (`/flow/wakeup.json?task_name=each_<i>-hold`). */
export const HOLD_TASK = `      - {category: suspense, name: hold, conditions: ["$.input.[?(@.go == true)]"],
         inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [{source: $.output.go, target: $.context.go}]}
`

/** A group's task `step` (at a foreach's task indent): a pass. */
export const PASS_STEP = `      - {category: pass, name: step}
`

/**
 * The descriptor `name` ("workspace:dagName") of one foreach `each` over `$.context.items` whose
 * groups run `group` (task entries at a foreach's task indent: HOLD_TASK, PASS_STEP), at most
 * `maxConcurrency` groups at a time when given.
 */
export function foreachWorkflow(name: string, group: string, maxConcurrency?: number): string {
  const [workspace, dagName] = name.split(':')
  const throttle = maxConcurrency === undefined ? '' : `    synchronization: {maxConcurrency: "${maxConcurrency}"}\n`
  return `workspace: ${workspace}
dagName: ${dagName}
type: flow
tasks:
  - category: foreach
    name: each
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
${throttle}    tasks:
${group}`
}

/**
 * demo:nested: a foreach `each` over `$.context.items` whose items run `prep` and then wait in
 * `hold` until woken (`/flow/wakeup.json?task_name=each_<i>-hold` with `{go: true}`), then PICK_CHOICE:
 * tasks nested one level down in a foreach and in a choice.
 */
export const NESTED_WORKFLOW = `workspace: demo
dagName: nested
type: flow
tasks:
  - category: foreach
    name: each
    next: pick
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: pass, name: prep, next: hold}
${HOLD_TASK}${PICK_CHOICE}`

/** A flow `<workspace>:<dagName>` of one suspense task `w` that waits until woken with `{go: true}`: an execution that stays running. */
export const waitingFlow = (workspace: string, dagName: string): string =>
  `workspace: ${workspace}\ndagName: ${dagName}\ntype: flow\ntasks:\n  - {category: suspense, name: w, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n`

/** Adds `descriptor` as `<workspace>:<name>` (alias release) through the Rill Flow console as `user`, expecting it taken. */
export async function addFlow(user: { call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }> }, workspace: string, name: string, descriptor: string): Promise<void> {
  const r = await user.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=${workspace}&feature_name=${name}&alias=release`, descriptor, { 'content-type': 'text/plain' })
  expect(r.status, JSON.stringify(r.body)).toBe(200)
}

/**
 * Resolves once the job of each Rill Flow execution of `executionIds` has ended, or has its tasks in
 * exactly the states of `counts` (task status -> number of tasks, e.g. `{ running: 1 }`: a suspense task
 * that waits is running), as the store has committed them: what the engine holds of a waiting execution
 * is in place by then (it commits after it changes its memory). Checks every 10 ms (until.ts); rejects
 * naming the counts last read when that is not so within `withinMs`. For heap measurements, in place
 * of a fixed sleep "until they wait": as soon as they do, and never before on a loaded machine.
 */
export async function untilExecutionsWait(app: JobDeskApp, executionIds: readonly string[], counts: Partial<Record<TaskStatus, number>>, withinMs = 120_000): Promise<void> {
  const jobIds = executionIds.map((id) => app.store.jobs.getByUuid(uuidOfExecutionId(id))!.id)
  const want = JSON.stringify(Object.entries(counts).sort())
  const notWaiting = () =>
    jobIds
      .map((id) => ({ id, status: app.store.jobs.get(id)!.status, tasks: app.store.jobs.taskCountsByStatus(id) }))
      .filter((j) => !isTerminalJob(j.status) && JSON.stringify(Object.entries(j.tasks).sort()) !== want)
  await until(notWaiting, (left) => left.length === 0, `executions waiting with tasks ${want}`, withinMs)
}
