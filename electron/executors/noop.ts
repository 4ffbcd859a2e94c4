import { TaskFailure, type Executor } from '../engine/executor'

/**
 * Does nothing, optionally after a delay or by failing: for tests, benchmarks and placeholder steps.
 * spec: { delayMs?: number, fail?: string, failTimes?: number }  (failTimes: fail the first N attempts)
 */
export const noopExecutor: Executor = {
  name: 'noop',
  resumable: true,
  async run(ctx) {
    const { delayMs, fail, failTimes } = ctx.spec as { delayMs?: number; fail?: string; failTimes?: number }
    if (typeof delayMs === 'number' && delayMs > 0) await sleep(delayMs, ctx.signal)
    if (fail && (failTimes === undefined || ctx.attempt <= failTimes)) throw new TaskFailure(fail)
    return { output: ctx.input ?? null }
  },
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error(String(signal.reason)))
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => {
      clearTimeout(t)
      reject(new Error(String(signal.reason)))
    })
  })
}
