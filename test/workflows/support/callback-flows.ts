import { expect } from 'vitest'
import type { TestApp } from '../../support/app'
import { untilExecutionsWait } from '../../support/workflows'
import { uuidOfExecutionId } from '../../../electron/workflows/rillflow/runtime/names'

/**
 * Adds two Rill Flow workflows of `workspace` whose task `f` waits for a client's callback and maps its
 * body by `mappings` (a YAML flow list's items, e.g. `{source: $.output.items, target: $.context.c0}`):
 * `<workspace>:fin`, a function task of `executorUrl`/accept.json ended by finish.json or trigger.json;
 * `<workspace>:wake`, a suspense woken by wakeup.json when the body has `go: true` (mapped to
 * `$.context.go`). Each ends in a pass task `done`.
 */
export async function addCallbackFlows(t: TestApp, executorUrl: string, workspace: string, mappings: string): Promise<void> {
  const flows = [
    `workspace: ${workspace}\ndagName: fin\ntype: flow\ntasks:\n  - {category: function, name: f, resourceName: ${executorUrl}/accept.json, pattern: task_scheduler, next: done, outputMappings: [${mappings}]}\n  - {category: pass, name: done}\n`,
    `workspace: ${workspace}\ndagName: wake\ntype: flow\ntasks:\n  - {category: suspense, name: f, next: done, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}], outputMappings: [${mappings}, {source: $.output.go, target: $.context.go}]}\n  - {category: pass, name: done}\n`,
  ]
  for (const yaml of flows) expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, { 'content-type': 'text/plain' })).status).toBe(200)
}

/** The engine's job id of Rill Flow execution `executionId`. */
export const jobOfExecution = (t: TestApp, executionId: string): number => t.app.store.jobs.getByUuid(uuidOfExecutionId(executionId))!.id

/**
 * Submits `flow` (one of addCallbackFlows', `<workspace>:fin` or `<workspace>:wake`) and resolves with
 * its execution id once its task `f` waits for its callback (a function task: its dispatch answered).
 */
export async function waitingForCallback(t: TestApp, flow: string): Promise<string> {
  const r = await t.call('POST', `/flow/submit.json?descriptor_id=${flow}`, '{}')
  expect(r.status, JSON.stringify(r.body)).toBe(200)
  const id: string = r.body.execution_id
  await untilExecutionsWait(t.app, [id], { running: 1, pending: 1 })
  if (flow.endsWith(':fin')) await expect.poll(() => !!t.app.store.jobs.task(jobOfExecution(t, id), 'f')?.runtime?.held, { timeout: 10_000 }).toBe(true)
  return id
}
