// Helpers for ports of upstream's Groovy traversal tests: functions point at the sample executor's
// /accept.json (held until finish.json) and the test drives them as upstream's tests do.
import type { TestApp } from '../../support/app'
import type { rillClient } from './rill-client'
import type { SampleExecutor } from './sample-executor'

export function traversal(t: TestApp, rill: ReturnType<typeof rillClient>, exec: SampleExecutor) {
  const taskOf = (executionId: string, name: string) => t.app.workflows.execution(executionId).tasks.find((x) => x.name === name)
  const h = {
    /** The YAML with every `FN` resourceName pointed at the accepting endpoint. */
    yaml: (text: string) => text.replaceAll('FN', `${exec.url}/accept.json`).replaceAll('SYNC', `${exec.url}/answer.json`),
    async run(text: string, context: unknown = {}): Promise<string> {
      const id = await rill.addDescriptor(h.yaml(text))
      return rill.submit(id, context)
    },
    async waitStatus(executionId: string, name: string, status: string, timeoutMs = 5000): Promise<void> {
      const end = Date.now() + timeoutMs
      while (taskOf(executionId, name)?.status !== status) {
        if (Date.now() > end) throw new Error(`${name} stayed ${taskOf(executionId, name)?.status ?? 'absent'}, wanted ${status}`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
    /** finish.json as upstream's tests call olympicene.finish: output + result_type from the status. */
    async finish(executionId: string, task: string, output: object, status: 'SUCCEED' | 'FAILED' = 'SUCCEED') {
      await h.waitStatus(executionId, task, 'running')
      const q = `execution_id=${encodeURIComponent(executionId)}&task_name=${encodeURIComponent(task)}`
      const r = await rill.call('POST', `/flow/finish.json?${q}`, { ...output, result_type: status === 'SUCCEED' ? 'SUCCESS' : 'FAILED' })
      if (r.status !== 200) throw new Error(`finish ${task}: ${r.status} ${JSON.stringify(r.body)}`)
    },
    async wakeup(executionId: string, task: string, body: object) {
      const r = await rill.call('POST', `/flow/wakeup.json?execution_id=${encodeURIComponent(executionId)}&task_name=${task}`, body)
      if (r.status !== 200) throw new Error(`wakeup ${task}: ${r.status} ${JSON.stringify(r.body)}`)
    },
    /** The input each dispatch of `task` carried (the body less execution_id). */
    dispatched(executionId: string, task: string): unknown[] {
      return exec.calls
        .filter((c) => c.query.name === task && c.query.execution_id === executionId)
        .map((c) => {
          const { execution_id: _, ...rest } = c.body as Record<string, unknown>
          return rest
        })
    },
    /** Every task's status, sub-tasks included, in JobDesk's words. */
    statuses(executionId: string): Record<string, string> {
      return Object.fromEntries(t.app.workflows.execution(executionId).tasks.map((x) => [x.name, x.status]))
    },
  }
  return h
}
