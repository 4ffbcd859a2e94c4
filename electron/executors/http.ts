import { TaskFailure, type Executor } from '../engine/executor'
import { fetchFailureReason, urlForMessage } from './fetch-failure'
import { parseAnswerJson, readAnswerText } from './http-answer'
import { outgoingFetch } from './outgoing-http'

/**
 * Calls an HTTP endpoint with the task's input as a JSON body; the JSON response is the output.
 * spec: { url: string, method?: string (default POST), headers?: Record<string,string>, idempotent?: boolean }
 */
export const httpExecutor: Executor = {
  name: 'http',
  resumable: false,
  async run(ctx) {
    const { url, method = 'POST', headers = {} } = ctx.spec as { url?: unknown; method?: string; headers?: Record<string, string> }
    if (typeof url !== 'string' || !/^https?:\/\//i.test(url)) {
      throw new TaskFailure('spec.url must be an http:// or https:// URL', false)
    }
    const shown = urlForMessage(url) // no credentials or query in a task's error
    const hasBody = method.toUpperCase() !== 'GET' && method.toUpperCase() !== 'HEAD'
    let res: Response
    try {
      // no user's: the engine's own workflows (an admin's reach); noted as JobDesk's own call all the same
      res = await outgoingFetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: hasBody ? JSON.stringify(ctx.input ?? {}) : undefined,
        signal: ctx.signal,
      }, 'admin')
    } catch (e) {
      throw new TaskFailure(`${method} ${shown} failed: ${fetchFailureReason(e, url)}`)
    }
    const text = await readAnswerText(res, `${method} ${shown}`)
    if (!res.ok) {
      // 5xx and 429 may pass; other 4xx will not get better by retrying
      const retryable = res.status >= 500 || res.status === 429
      throw new TaskFailure(`${method} ${shown} answered HTTP ${res.status}: ${text.slice(0, 200)}`, retryable)
    }
    if (!text.trim()) return { output: null }
    try {
      return { output: parseAnswerJson(text, `the answer of ${method} ${shown}`) }
    } catch (e) {
      if (e instanceof TaskFailure) throw e
      throw new TaskFailure(`${method} ${shown} answered with a body that is not JSON: ${text.slice(0, 200)}`, false)
    }
  },
}
