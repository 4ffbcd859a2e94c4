// Workflow engine figures: per-task overhead on a 40-step chain of 10 ms tasks, a 1,000-wide
// foreach, and executions/s of a two-task HTTP workflow submitted over REST.
import Fastify from 'fastify'
import { rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startApp, type JobDeskApp } from '../electron/app'

export interface WorkflowFigures {
  chainTotalMs: number
  /** The same 40 calls made directly, one after another: what the tasks themselves cost. */
  directTotalMs: number
  chainOverheadPerTaskMs: number
  foreachMs: number
  foreachTasksPerSecond: number
  executions: number
  executionsPerSecond: number
  meanExecutionMs: number
}

async function withApp<T>(fn: (app: JobDeskApp, echo: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'jobdesk-bench-'))
  const echo = Fastify()
  echo.post('/sleep10.json', async (req) => {
    await new Promise((r) => setTimeout(r, 10))
    return { ok: true, got: req.body }
  })
  echo.post('/echo.json', async (req) => ({ value: (req.body as { value?: number }).value ?? 0 }))
  const echoUrl = await echo.listen({ host: '127.0.0.1', port: 0 })
  const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 64 })
  try {
    return await fn(app, echoUrl)
  } finally {
    await app.close()
    await echo.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const post = async (url: string, body: string, type = 'application/json') => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': type }, body })
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`)
  return (await res.json()) as Record<string, unknown>
}

async function runToEnd(app: JobDeskApp, descriptorId: string, context: object): Promise<number> {
  const t0 = performance.now()
  const { execution_id } = await post(`${app.url}/flow/submit.json?descriptor_id=${descriptorId}`, JSON.stringify(context))
  const job = app.store.jobs.getByUuid(String(execution_id).split('_c_')[1])!
  const done = await app.engine.waitFor(job.id)
  if (done.status !== 'succeeded') throw new Error(`bench execution ${done.status}: ${done.error}`)
  return performance.now() - t0
}

export async function measureWorkflows(): Promise<WorkflowFigures> {
  return withApp(async (app, echo) => {
    const add = (yaml: string) => post(`${app.url}/flow/bg/manage/descriptor/add_descriptor.json`, yaml, 'text/plain')

    const chain = Array.from({ length: 40 }, (_, i) => `  - {category: function, name: s${i}, pattern: task_sync, resourceName: ${echo}/sleep10.json${i < 39 ? `, next: s${i + 1}` : ''}}`)
    await add(`workspace: bench\ndagName: chain\ntype: flow\ntasks:\n${chain.join('\n')}\n`)
    await runToEnd(app, 'bench:chain', {}) // warm-up
    const chainTotalMs = await runToEnd(app, 'bench:chain', {})
    const d0 = performance.now()
    for (let i = 0; i < 40; i++) await post(`${echo}/sleep10.json`, '{}')
    const directTotalMs = performance.now() - d0

    await add(`workspace: bench
dagName: wide
type: flow
tasks:
  - category: foreach
    name: loop
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: item}
    outputMappings: [{source: "$.output.sub_context.[*].double", target: $.context.doubles}]
    tasks:
      - {category: pass, name: work, outputMappings: [{source: $.context.item, target: $.context.double, transform: "return 2 * source;"}]}
`)
    const items = Array.from({ length: 1000 }, (_, i) => i)
    const foreachMs = await runToEnd(app, 'bench:wide', { items })

    await add(`workspace: bench
dagName: two
type: flow
tasks:
  - {category: function, name: first, pattern: task_sync, resourceName: ${echo}/echo.json, next: second,
     inputMappings: [{source: $.context.value, target: $.input.value}], outputMappings: [{source: $.output.value, target: $.context.first}]}
  - {category: function, name: second, pattern: task_sync, resourceName: ${echo}/echo.json,
     inputMappings: [{source: $.context.first, target: $.input.value}], outputMappings: [{source: $.output.value, target: $.context.second}]}
`)
    const executions = 1000
    const clients = 32
    let next = 0
    let totalMs = 0
    const t0 = performance.now()
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < executions) {
          const i = next++
          totalMs += await runToEnd(app, 'bench:two', { value: i })
        }
      }),
    )
    const elapsed = performance.now() - t0
    return {
      chainTotalMs,
      directTotalMs,
      chainOverheadPerTaskMs: (chainTotalMs - directTotalMs) / 40,
      foreachMs,
      foreachTasksPerSecond: 1001 / (foreachMs / 1000),
      executions,
      executionsPerSecond: executions / (elapsed / 1000),
      meanExecutionMs: totalMs / executions,
    }
  })
}
