// The finished-views cache itself (#14.2): what is kept, and what a job write drops.
import { describe, expect, it } from 'vitest'
import { createFinishedViews, deepFreeze, frozenJson, MAX_VIEW_SIZE } from '../../electron/store/finished-views'
import { createJobChanges } from '../../electron/store/job-changes'

describe('finished views', () => {
  it('keeps views of finished jobs only, until their job is written', () => {
    const changes = createJobChanges()
    const views = createFinishedViews(changes)
    let builds = 0
    const view = (id: number, status: 'running' | 'succeeded') => () => (builds++, { job: { id, status }, body: `job ${id}` })
    expect(views.get('a:1', view(1, 'running'))?.body).toBe('job 1')
    views.get('a:1', view(1, 'running'))
    expect(builds).toBe(2) // unfinished: built on every read
    views.get('a:2', view(2, 'succeeded'))
    views.get('b:2', view(2, 'succeeded'))
    views.get('a:2', view(2, 'succeeded'))
    expect(builds).toBe(4) // finished: built once per key
    changes.changed(3)
    views.get('a:2', view(2, 'succeeded'))
    expect(builds).toBe(4) // another job's write drops nothing of job 2
    changes.changed(2)
    views.get('a:2', view(2, 'succeeded'))
    views.get('b:2', view(2, 'succeeded'))
    expect(builds).toBe(6) // both of job 2's views were dropped
    expect(views.get('a:9', () => undefined)).toBeUndefined()
  })

  it('never keeps a long key, and starts afresh past its size', () => {
    const views = createFinishedViews(createJobChanges(), 3)
    views.get('x'.repeat(201), () => ({ job: { id: 1, status: 'succeeded' } }))
    expect(views.size).toBe(0)
    for (let id = 1; id <= 3; id++) views.get(`a:${id}`, () => ({ job: { id, status: 'failed' } }))
    expect(views.size).toBe(3)
    views.get('a:4', () => ({ job: { id: 4, status: 'failed' } }))
    expect(views.size).toBe(1)
    views.get('a:5', () => ({ job: { id: 5, status: 'failed' }, size: MAX_VIEW_SIZE + 1 }))
    expect(views.size).toBe(1) // a job with a large view is not kept
  })

  it('deepFreeze makes a shared view throw when changed', () => {
    const v = deepFreeze({ job: { id: 1, labels: { a: 'b' } }, list: [{ x: 1 }] })
    expect(() => {
      ;(v.job.labels as Record<string, string>).a = 'c'
    }).toThrow(TypeError)
    expect(() => v.list.push({ x: 2 })).toThrow(TypeError)
    expect(frozenJson(v)).toBe(JSON.stringify(v)) // its text is kept with it
    expect(frozenJson(Object.freeze({ a: [1] }))).toBeUndefined() // frozen shallowly elsewhere: serialized as usual
    expect(frozenJson({ a: 1 })).toBeUndefined()
  })
})
