// The DAG-completion callback (OlympiceneCallback; rillflow.md §4.3): when an execution ends, POST
// to `callback.resourceName` a body built from its inputMappings over the final context, plus
// execution_id, dag_status and, as configured, the failure details, the DAG view and the context.

import type { JobRecord, TaskRecord } from '../../store/job.repository'
import { fetchFailureReason } from '../../executors/fetch-failure'
import { outgoingFetch } from '../../executors/outgoing-http'
import type { Store } from '../../store'
import { reachOfJob } from './ownership'
import type { CallbackConfig, Dag } from './descriptor/types'
import { mapInput, mappingHooks } from './runtime/context'
import { splitInput } from './runtime/function-executor'

type Json = Record<string, unknown>

/** The callback of an execution: the `callback` submit parameter, else the descriptor's. */
export function callbackConfigOf(job: JobRecord, dag: Dag): CallbackConfig | undefined {
  const override = job.labels.callback
  if (override) {
    try {
      return JSON.parse(override) as CallbackConfig
    } catch {
      return undefined
    }
  }
  return dag.callback
}

export function callbackBody(job: JobRecord, tasks: TaskRecord[], config: CallbackConfig, dagInfo: (tasks: TaskRecord[]) => Json): { url: URL; body: Json; headers: Record<string, string> } {
  const context = Object.fromEntries(Object.entries(job.context ?? {}).filter(([k]) => !k.startsWith('__')))
  const req = splitInput(mapInput(config.inputMappings, context, mappingHooks(() => '')))
  const succeeded = job.status === 'succeeded'
  const body: Json = { ...req.body, execution_id: job.labels.executionId, dag_status: succeeded ? 'succeed' : 'failed' }
  if (!succeeded) {
    const failed = tasks.filter((t) => t.status === 'failed' || t.status === 'timed_out' || t.status === 'cancelled')
    body.error_info = {
      dag_invoke_info: { msg: job.error },
      failed_tasks_invoke_info: Object.fromEntries(failed.map((t) => [t.name, { msg: t.error, input: t.input, output: t.output }])),
    }
  }
  if (config.fullDAGInfo) body.dag_info = dagInfo(tasks)
  if (config.fullContext) body.data = context
  const url = new URL(config.resourceName!)
  for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, v)
  return { url, body, headers: req.headers }
}

/**
 * Sends the callback of a finished execution and notes the outcome in its log. Never rejects:
 * whatever goes wrong (a mapping that throws, a URL that does not parse, a refused connection)
 * is a line in the execution's log.
 */
export async function sendCompletionCallback(store: Store, job: JobRecord, dag: Dag, dagInfo: (tasks: TaskRecord[]) => Json): Promise<void> {
  let line: { level: 'INFO' | 'WARN'; text: string } | null = null
  try {
    const config = callbackConfigOf(job, dag)
    if (!config?.resourceName || !/^https?:\/\//i.test(config.resourceName)) return
    let request: ReturnType<typeof callbackBody>
    try {
      request = callbackBody(job, store.jobs.tasks(job.id), config, dagInfo)
    } catch (e) {
      line = { level: 'WARN', text: `completion callback not sent: ${(e as Error).message}` }
      return
    }
    const { url, body, headers } = request
    try {
      const res = await outgoingFetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, reachOfJob(store, job.id))
      line = res.ok ? { level: 'INFO', text: `completion callback ${url.origin}${url.pathname}: HTTP ${res.status}` } : { level: 'WARN', text: `completion callback ${url} answered HTTP ${res.status}` }
    } catch (e) {
      line = { level: 'WARN', text: `completion callback ${url} failed: ${fetchFailureReason(e, url)}` }
    }
  } catch (e) {
    line = { level: 'WARN', text: `completion callback not sent: ${(e as Error).message}` }
  } finally {
    if (line) noteOn(store, job.id, line)
  }
}

function noteOn(store: Store, jobId: number, line: { level: 'INFO' | 'WARN'; text: string }): void {
  try {
    store.logs.append([{ jobId, seq: store.logs.nextSeq(jobId), taskId: null, time: Date.now(), ...line }])
  } catch (e) {
    console.error(`jobdesk: job ${jobId}: ${line.text} (not logged: ${(e as Error).message})`)
  }
}
