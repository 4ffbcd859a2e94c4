// Rill Flow descriptors more than one test file runs.
import { expect } from 'vitest'

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
