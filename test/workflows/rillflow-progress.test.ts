// Progress calculations (runtime/progress.ts) run on every progress update of a running execution:
// each gets a small step budget (PROGRESS_LIMITS), and one call's calculations share a total, so a
// descriptor of many running tasks with busy calculations cannot hold the main thread (#9).
import { describe, expect, it } from 'vitest'
import type { TaskRecord } from '../../electron/store/job.repository'
import { executionProgress, PROGRESS_LIMITS } from '../../electron/workflows/rillflow/runtime/progress'
import type { RillTaskSpec } from '../../electron/workflows/rillflow/runtime/task-specs'
import { threadCpuMs } from '../support/cpu-time'

/** A top-level task record of a Rill Flow execution, as the store gives it to the driver. */
function task(name: string, status: TaskRecord['status'], calculation?: string): TaskRecord {
  const spec: RillTaskSpec = {
    def: { category: 'function', name, ...(calculation ? { progress: { calculation } } : {}) } as RillTaskSpec['def'],
    executionId: 'e',
  }
  return {
    id: 1, jobId: 1, name, executor: 'rillflow.function', status, dependsOn: [], spec: spec as unknown as Record<string, unknown>,
    attempt: 1, maxAttempts: 1, timeoutMs: null, backoffMs: 0, input: null, output: null, error: null, runtime: null,
    runAfter: null, startedAt: 1_000, finishedAt: null, attempts: [],
  }
}
const progress = (tasks: TaskRecord[]) => executionProgress(tasks, 11_000, () => 0)

/** A calculation that takes some 1,500 steps (250 rounds of 6) and answers 1.0: under one calculation's budget. */
const busy = 'let n = 0; for i in range(0, 250) { n = n + 1; } 1.0'

describe('progress calculations have a budget of their own (#9)', () => {
  it('a running task counts by its calculation', () => {
    expect(progress([task('a', 'succeeded'), task('b', 'running', 'taskRunningTimeInMillis / 20000.0')])).toBe(75)
    expect(progress([task('a', 'succeeded'), task('b', 'running', busy)])).toBe(100)
  })

  it('a calculation over its budget counts as failed: the share of tasks completed', () => {
    expect(PROGRESS_LIMITS.stepsPerCalculation).toBeLessThan(100_000)
    const started = threadCpuMs()
    expect(progress([task('a', 'succeeded'), task('b', 'running', 'while (true) { }')])).toBe(50)
    expect(progress([task('a', 'succeeded'), task('b', 'running', 'for i in range(0, 400) { 1+1; } 1.0')])).toBe(50) // ~2,400 steps
    expect(threadCpuMs() - started).toBeLessThan(500) // ~1 ms idle; a transform's 100,000 steps each was 10-40 ms
  })

  it("one call's calculations share a total: many busy running tasks end at it", () => {
    // each is within its own budget, together they are over the call's: the first 6 fit, the 7th is refused
    const tasks = [task('done', 'succeeded'), ...Array.from({ length: 99 }, (_, i) => task(`t${i}`, 'running', busy))]
    expect(Math.floor(PROGRESS_LIMITS.stepsPerCall / 1_500)).toBeLessThan(99)
    const started = threadCpuMs()
    expect(progress(tasks)).toBe(1) // 1 of 100 completed, not 100 from the calculations
    expect(threadCpuMs() - started).toBeLessThan(500)
    expect(progress(tasks.slice(0, 7))).toBe(100) // 6 busy ones fit the call's total
  })
})
