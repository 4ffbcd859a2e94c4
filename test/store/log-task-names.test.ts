// A log line names its task by the task's id. A redone foreach drops its run-time tasks (engine
// redo), and task ids are rowids, so the next task made, in any job, can take a dropped task's id:
// the old job's log then named another user's task (atk21 follow-up, id reuse). A line names a task
// of its own job only.
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { tempStore } from '../support/temp-store'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('log lines of a dropped task', () => {
  it('never show or match the task of another job that took its id', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const { jobs, logs } = t.store
    const a = jobs.create({ uuid: randomUUID(), kind: 'dag', name: 'alice-foreach', submitter: 'alice' }, [{ name: 'each', executor: 'noop' }, { name: 'each_1', executor: 'noop' }])
    const dropped = jobs.tasks(a).find((x) => x.name === 'each_1')!.id
    t.store.transaction(() => {
      logs.append([{ jobId: a, seq: 0, taskId: dropped, time: 0, level: 'INFO', text: 'item 1 done' }])
      jobs.deleteTasks(a, ['each_1'])
    })
    const b = jobs.create({ uuid: randomUUID(), kind: 'dag', name: 'bob', submitter: 'bob' }, [{ name: 'bob-private-step', executor: 'noop' }])
    expect(jobs.tasks(b)[0].id).toBe(dropped) // the id came back: what makes the join matter
    expect(logs.read(a, 0, 10).lines.map((l) => [l.text, l.task])).toEqual([['item 1 done', null]])
    expect(logs.read(a, 0, 10, 'bob-private-step').lines).toEqual([])
  })
})
