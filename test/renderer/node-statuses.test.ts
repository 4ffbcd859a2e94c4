// "Not run" on the run graph (#13.3): a waiting task that can no longer run says so, instead of
// promising with "pending" that it will.
import { describe, expect, it } from 'vitest'
import type { JobStatus, TaskStatus } from '../../shared/status'
import type { ExecutionView, WorkflowNode } from '../../shared/workflows'
import { choiceOutcome, nodeStatuses } from '../../renderer/src/features/workflows/execution-status'

const node = (name: string, next: string[] = []): WorkflowNode => ({ name, category: 'pass', next }) as unknown as WorkflowNode
const run = (status: JobStatus, tasks: Record<string, TaskStatus>): ExecutionView =>
  ({
    jobId: 1,
    executionId: 'x',
    descriptorId: 'd',
    status,
    progress: 0,
    error: null,
    context: {},
    tasks: Object.entries(tasks).map(([name, s]) => ({ name, status: s, route: null, attempts: [], category: 'pass', attempt: 1, try: 1, input: null, output: null, error: null, startedAt: null, finishedAt: null })),
  }) as ExecutionView

//   a ──► b ──► c
//   └───► d
const graph = [node('a', ['b', 'd']), node('b', ['c']), node('c'), node('d')]

describe('node statuses of a run', () => {
  it('marks everything below a failure "not run" while the rest goes on', () => {
    const shown = nodeStatuses(graph, run('running', { a: 'succeeded', b: 'failed', c: 'pending', d: 'running' }))
    expect(Object.fromEntries(shown)).toEqual({ a: 'succeeded', b: 'failed', c: 'not_run', d: 'running' })
  })

  it('keeps "pending" for tasks that still may run', () => {
    const shown = nodeStatuses(graph, run('running', { a: 'running', b: 'pending', c: 'pending', d: 'pending' }))
    expect([...shown.values()]).toEqual(['running', 'pending', 'pending', 'pending'])
  })

  it('says "not run" for every waiting task of an ended run (cancelled, or tasks never created)', () => {
    const shown = nodeStatuses(graph, run('cancelled', { a: 'cancelled' }))
    expect(Object.fromEntries(shown)).toEqual({ a: 'cancelled', b: 'not_run', c: 'not_run', d: 'not_run' })
  })

  it('does not loop on a cycle (the server refuses those; the view must still draw)', () => {
    //   x ──► y ──► x
    const shown = nodeStatuses([node('x', ['y']), node('y', ['x'])], run('running', { x: 'pending', y: 'pending' }))
    expect([...shown.values()]).toEqual(['pending', 'pending'])
  })
})

// warnfold (#9): a finished run's choice that took no branch said "no branch taken yet"
describe('a choice node of a shown run', () => {
  it('says which branches it took, and "yet" only while it may still take one', () => {
    expect(choiceOutcome([1, 3], 'succeeded')).toBe('took #1, #3')
    for (const s of ['succeeded', 'failed', 'cancelled', 'timed_out', 'skipped', 'not_run'] as const) expect(choiceOutcome([], s)).toBe('no branch taken')
    for (const s of ['pending', 'queued', 'running', 'cancelling', null] as const) expect(choiceOutcome([], s)).toBe('no branch taken yet')
  })
})
