import { TaskFailure, type Executor } from '../engine/executor'
import { parseAnswerJson, readAnswerText } from './http-answer'

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
    const hasBody = method.toUpperCase() !== 'GET' && method.toUpperCase() !== 'HEAD'
    let res: Response
    try {
      res = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
        body: hasBody ? JSON.stringify(ctx.input ?? {}) : undefined,
        signal: ctx.signal,
      })
    } catch (e) {
      throw new TaskFailure(`${method} ${url} failed: ${(e as Error).message}`)
    }
    const text = await readAnswerText(res, `${method} ${url}`)
    if (!res.ok) {
      // 5xx and 429 may pass; other 4xx will not get better by retrying
      const retryable = res.status >= 500 || res.status === 429
      throw new TaskFailure(`${method} ${url} answered HTTP ${res.status}: ${text.slice(0, 200)}`, retryable)
    }
    if (!text.trim()) return { output: null }
    try {
      return { output: parseAnswerJson(text, `the answer of ${method} ${url}`) }
    } catch (e) {
      if (e instanceof TaskFailure) throw e
      throw new TaskFailure(`${method} ${url} answered with a body that is not JSON: ${text.slice(0, 200)}`, false)
    }
  },
}
