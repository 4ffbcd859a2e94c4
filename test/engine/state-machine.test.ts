import { describe, expect, it } from 'vitest'
import { JOB_STATUSES, TASK_STATUSES, TransitionError, canTransitionJob, isTerminalJob, transitionJob, transitionTask } from '../../shared/status'

describe('job and task state machine', () => {
  it('allows the normal life of a job and refuses skipping ahead', () => {
    expect(transitionJob('queued', 'running')).toBe('running')
    expect(transitionJob('running', 'cancelling')).toBe('cancelling')
    expect(transitionJob('cancelling', 'cancelled')).toBe('cancelled')
    expect(() => transitionJob('queued', 'succeeded')).toThrow(TransitionError)
    expect(() => transitionJob('succeeded', 'cancelled')).toThrow('illegal job transition succeeded → cancelled')
  })

  it('lets tasks wait, run, retry and finish but never leave a final state except to be redone', () => {
    expect(transitionTask('pending', 'queued')).toBe('queued')
    expect(transitionTask('running', 'queued')).toBe('queued') // retry
    expect(() => transitionTask('pending', 'running')).toThrow(TransitionError)
    expect(() => transitionTask('succeeded', 'failed')).toThrow(TransitionError)
    expect(transitionTask('failed', 'pending')).toBe('pending') // redo
  })

  it('has a rule for every state and knows which are final', () => {
    for (const s of JOB_STATUSES) expect(typeof canTransitionJob(s, 'running')).toBe('boolean')
    expect(JOB_STATUSES.filter(isTerminalJob)).toEqual(['succeeded', 'failed', 'cancelled', 'timed_out'])
    expect(TASK_STATUSES).toContain('skipped')
  })
})
