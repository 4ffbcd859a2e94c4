// Invoking a Rill Flow `function` task over HTTP (FunctionProtocolDispatcher, HttpInvokeHelperImpl;
// rillflow.md §4.4): the mapped input is split into body, query and headers; the answer is the output.

import { TaskFailure, type Executor } from '../../../engine/executor'
import { fetchFailureReason, urlForMessage } from '../../../executors/fetch-failure'
import { parseAnswerJson, readAnswerText } from '../../../executors/http-answer'
import { isAddressRefused, outgoingFetch, type CallerReach } from '../../../executors/outgoing-http'
import type { FunctionTask } from '../descriptor/types'
import { specOf } from './task-specs'
import { assignOwn, setOwn } from '../safe-keys'

type Json = Record<string, unknown>

export interface FunctionExecutorDeps {
  /** The callback URL an async executor posts its result to (trigger.json, signed). */
  callbackUrl(executionId: string, taskName: string): string
  /** This server's origin, sent as X-Flow-Server. */
  serverHost(): string
  /**
   * Parses an answer's text as parseAnswerJson does (a TaskFailure for one too deep or of too many
   * lists and maps, a SyntaxError for text that is not JSON), for a long one without holding the main
   * thread (app.ts passes the JSON worker: atk32, a 4 MB answer of one 400,000-key map held it 1.4 s).
   * `signal` is the task's (aborted on cancel or timeout), for a parse that waits its turn; `owner` the
   * user whose job it is (ownerOf), for their fair share of the workers. By default parseAnswerJson itself.
   */
  parseJson?(text: string, field: string, o: { owner: string; signal?: AbortSignal }): Promise<unknown>
  /** Whose job `jobId` is (its submitter's user name; '' when it is gone), for parseJson's fair share. */
  ownerOf?(jobId: number): string
  /** Where the job's calls may go (outgoing-http.ts CallerReach): an admin's job anywhere; by default `user`'s reach. */
  reachOf?(jobId: number): CallerReach
}

interface Request {
  body: Json
  query: Record<string, string>
  headers: Record<string, string>
}

const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)
const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))

/** The task input split by key, as HttpInvokeHelperImpl does. */
export function splitInput(input: Json): Request {
  const req: Request = { body: {}, query: {}, headers: {} }
  for (const [key, value] of Object.entries(input)) {
    // own keys, `__proto__` too: the input is mapped from data, and `body.__proto__ = map` replaced the body's prototype (its keys left out of the request)
    if (!isMap(value)) setOwn(req.body, key, value)
    else if (key === 'body' || key.startsWith('request_config_')) assignOwn(req.body, value)
    else if (key === 'query' || key.startsWith('query_params_')) for (const [k, v] of Object.entries(value)) req.query[k] = text(v)
    else if (key === 'header' || key.startsWith('request_header_')) for (const [k, v] of Object.entries(value)) req.headers[k.toLowerCase()] = text(v)
    else if (!key.startsWith('request_callback_')) setOwn(req.body, key, value)
  }
  return req
}

export function createFunctionExecutor(deps: FunctionExecutorDeps): Executor {
  /**
   * The answer as JSON; text that is not JSON is null (as Rill Flow reads it). An answer too deep or of
   * too many lists and maps throws parseAnswerJson's TaskFailure, or is null too when `orNull` (the
   * answer to a failed call, whose status says why it failed).
   */
  const parse = async (text: string, ctx: { jobId: number; signal: AbortSignal }, orNull = false): Promise<unknown> => {
    try {
      return await (deps.parseJson ?? parseSync)(text, 'the answer', { owner: deps.ownerOf?.(ctx.jobId) ?? '', signal: ctx.signal })
    } catch (e) {
      if (e instanceof TaskFailure && !orNull) throw e
      return null
    }
  }
  return {
    name: 'rillflow.function',
    resumable: false, // an HTTP call may have side effects
    // An async call interrupted by a crash may have reached its executor, which will call back:
    // wait for that rather than call twice. A sync call is failed (its answer is lost).
    // Sub-flows (flow_sync/async) are held too: the service's reconcile finds their child.
    recoverAs(spec) {
      const pattern = (specOf({ spec }).def as FunctionTask).pattern
      return pattern === 'task_sync' ? 'fail' : 'hold'
    },
    async run(ctx) {
      const { def, executionId } = specOf(ctx)
      const fn = def as FunctionTask
      const url = fn.resourceName ?? ''
      if (!/^https?:\/\//i.test(url)) throw new TaskFailure(`resourceName ${url || '(none)'}: only http:// and https:// functions are supported`, false)
      const req = splitInput(isMap(ctx.input) ? ctx.input : {})
      req.body.execution_id = executionId
      const target = new URL(url)
      for (const [k, v] of Object.entries({ execution_id: executionId, name: ctx.taskName, ...req.query })) target.searchParams.set(k, v)
      const method = (fn.requestType ?? 'POST').toUpperCase()
      const async = fn.pattern === 'task_async' || fn.pattern === 'task_scheduler'
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-flow-server': deps.serverHost(),
        'x-callback-url': deps.callbackUrl(executionId, ctx.taskName),
        ...(async ? { 'x-mode': 'async' } : {}),
        ...req.headers,
      }
      const form = headers['content-type'].startsWith('application/x-www-form-urlencoded')
      const body = method === 'GET' || method === 'HEAD' ? undefined : form ? formEncode(req.body) : JSON.stringify(req.body)
      let res: Response
      try {
        res = await outgoingFetch(target, { method, headers, body, signal: ctx.signal }, deps.reachOf?.(ctx.jobId) ?? 'user')
      } catch (e) {
        throw new TaskFailure(`dispatchTask http fails: ${fetchFailureReason(e, target)} (${method} ${urlForMessage(target)})`, !isAddressRefused(e))
      }
      const answer = await readAnswerText(res, `${method} ${urlForMessage(target)}`)
      if (!res.ok) throw new TaskFailure(`dispatchTask http fails status code: ${res.status}`, true, await parse(answer, ctx, true))
      if (async) return { output: await parse(answer, ctx), awaitCallback: true }
      return { output: await parse(answer, ctx) }
    },
  }
}

const parseSync = async (text: string, field: string): Promise<unknown> => parseAnswerJson(text, field)

function formEncode(body: Json): string {
  const form = new URLSearchParams()
  for (const [k, v] of Object.entries(body)) form.set(k, text(v))
  return form.toString()
}
