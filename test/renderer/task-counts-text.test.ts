// The Jobs page's line of how many of a job's tasks are in each state (newuser18): it stands above a
// list cut at its first 500 tasks, so it is the only place a failure past them shows.
import { describe, expect, it } from 'vitest'
import { taskCountsText } from '../../renderer/src/features/jobs/format'

describe('taskCountsText', () => {
  it('names every state with tasks, in lifecycle order, with grouped digits', () => {
    expect(taskCountsText(3001, { failed: 11, succeeded: 2990 })).toBe('3,001 tasks: 2,990 succeeded · 11 failed')
    expect(taskCountsText(602, { cancelled: 1, succeeded: 601 })).toBe('602 tasks: 601 succeeded · 1 cancelled')
    expect(taskCountsText(4, { timed_out: 1, pending: 2, running: 1 })).toBe('4 tasks: 2 pending · 1 running · 1 timed out')
  })

  it('leaves out states counted zero', () => {
    expect(taskCountsText(1, { succeeded: 1, failed: 0 })).toBe('1 task: 1 succeeded')
  })
})
