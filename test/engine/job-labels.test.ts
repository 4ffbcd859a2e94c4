// A job's labels are bounded where every job is made (Engine.submitMany, shared/job-labels.ts): every
// list of jobs reads them, and 20 Linkis submits of 3,500 labels made a 75 MB page of the jobs list
// (atk29). Whatever kind of job, and whichever path made it (a dialect, a rerun copying an older job's
// labels), too many labels, a long key or too many bytes are refused, naming the label, storing nothing.
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { JOB_LABEL_LIMITS, labelsProblem } from '../../shared/job-labels'
import { makeEngine } from '../support/engine'
import { tempStore } from '../support/temp-store'
import { JOB_KINDS } from '../../shared/model'
import type { NewJob } from '../../electron/store/job.repository'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const job = (kind: NewJob['kind'], labels: Record<string, string>): NewJob => ({ uuid: randomUUID(), kind, name: 'j', submitter: 'admin', labels })
const many = (n: number, value = 'v') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, value]))

it('refuses too many labels, a long key or too many bytes for any kind of job, naming the label, storing nothing', () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  const refusedWith = (kind: NewJob['kind'], labels: Record<string, string>): unknown => {
    try {
      engine.submit(job(kind, labels), [{ name: 't', executor: 'noop' }])
    } catch (e) {
      return e
    }
    return undefined
  }
  for (const kind of JOB_KINDS) {
    expect(refusedWith(kind, many(65)), kind).toMatchObject({ kind: 'invalid', code: 'labels_too_large', field: 'labels', message: 'labels: 65 labels, more than the 64 a job may have' })
    expect(refusedWith(kind, { ['k'.repeat(1_000_000)]: 'v' }), kind).toMatchObject({ code: 'labels_too_large', message: expect.stringMatching(/^labels: key "k{40}…" \(1,000,000 characters\) is longer than 128 characters$/) })
    expect(refusedWith(kind, { a: 'x'.repeat(40_000), callback: '東'.repeat(10_000) }), kind).toMatchObject({ code: 'labels_too_large', field: 'labels.callback', message: 'labels: label "callback" brings keys and values past 65,536 bytes (UTF-8)' })
  }
  expect(t.store.jobs.list({ limit: 10 }).total).toBe(0)
  // at the bounds: kept as given
  const edge = { ...many(63), ['k'.repeat(128)]: 'v'.repeat(30_000) }
  expect(labelsProblem(edge)).toBeNull()
  expect(engine.submit(job('script', edge), [{ name: 't', executor: 'noop' }]).labels).toEqual(edge)
  expect(JOB_LABEL_LIMITS).toEqual({ keyChars: 128, count: 64, bytes: 65_536 })
})

it('lists a job stored before the bounds with its labels trimmed (its own first), and reads it whole on its own', () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  const normal = engine.submit(job('script', { dialect: 'linkis', 'label.tenant': 't1' }), [{ name: 't', executor: 'noop' }])
  const old = engine.submit(job('script', {}), [{ name: 't', executor: 'noop' }])
  // as a Linkis submit kept them before atk29: a million-character key, 3,000 labels, JobDesk's own around them
  const huge = { dialect: 'linkis', engineType: 'jdbc-4', ['label.' + 'k'.repeat(1_000_000)]: 'v', ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`label.l${i}`, 'v'.repeat(1000)])), executeUser: 'bob', submitUser: 'admin' }
  t.store.db.prepare('UPDATE jobs SET labels = ? WHERE id = ?').run(JSON.stringify(huge), old.id)
  const listed = new Map(t.store.jobs.list({ limit: 10 }).items.map((j) => [j.id, j.labels]))
  expect(listed.get(normal.id)).toEqual({ dialect: 'linkis', 'label.tenant': 't1' })
  const trimmed = listed.get(old.id)!
  expect(Object.keys(trimmed)).toHaveLength(JOB_LABEL_LIMITS.count)
  expect(trimmed).toMatchObject({ dialect: 'linkis', engineType: 'jdbc-4', executeUser: 'bob', submitUser: 'admin', 'label.l0': 'v'.repeat(1000) })
  expect(Object.keys(trimmed).every((k) => k.length <= JOB_LABEL_LIMITS.keyChars)).toBe(true)
  expect(t.store.jobs.list({ limit: 10 }, 'bob').items.map((j) => j.id)).toEqual([old.id]) // whose it is still reads the column
  expect(Object.keys(t.store.jobs.get(old.id)!.labels)).toHaveLength(3005)
})
