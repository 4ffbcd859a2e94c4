// Migration 014 (#9 §2): a job's input, context and result live in job_values, one row each, so a
// status step rewrites only the small jobs row. A database from before keeps every value.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createJobRepository } from '../../electron/store/job.repository'
import { tempDir } from '../support/temp-store'
import { oldDatabase } from '../support/old-database'
import { sweepAll } from '../support/row-sweeps'

describe('job values (migration 014)', () => {
  it('moves the input, context and result of existing jobs out of their rows, and reads them back whole', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, 13, (old) => {
      old.prepare(
        `INSERT INTO jobs (uuid, kind, name, status, input, context, result, submitter, labels, created_at, updated_at)
         VALUES ('u1', 'workflow', 'ws:dag', 'succeeded', '{"a":1}', '{"a":1,"flow_execution_id":"x"}', '{"a":1}', 'admin', '{}', 1, 1)`,
      ).run()
      old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u2', 'shell', 'bare', 'queued', 'admin', '{}', 2, 2)`).run()
    })

    const db = openDatabase(file)
    const jobs = createJobRepository(db)
    const [first, second] = [jobs.getByUuid('u1')!, jobs.getByUuid('u2')!]
    expect(first).toMatchObject({ input: { a: 1 }, context: { a: 1, flow_execution_id: 'x' }, result: { a: 1 } })
    expect(second).toMatchObject({ input: null, context: null, result: null })
    expect(db.prepare('SELECT count(*) AS n FROM jobs WHERE input IS NOT NULL OR context IS NOT NULL OR result IS NOT NULL').get()).toEqual({ n: 0 })
    expect(jobs.stateText(first.id, 'context')).toBe('{"a":1,"flow_execution_id":"x"}')
    expect(jobs.stateText(second.id, 'context')).toBe(null)
    expect(jobs.stateText(999, 'context')).toBe(undefined)

    // a save writes the values it is given; a job deleted takes its values with it (swept after it)
    jobs.saveJob({ ...first, status: 'succeeded', result: null, context: { b: 2 } })
    expect(jobs.get(first.id)).toMatchObject({ input: { a: 1 }, context: { b: 2 }, result: null })
    jobs.delete(first.id)
    expect(jobs.stateText(first.id, 'input')).toBeUndefined() // gone for readers at once
    sweepAll(db) // its rows go after it (row-sweeper.ts)
    expect(db.prepare('SELECT count(*) AS n FROM job_values').get()).toEqual({ n: 0 })
    db.close()
  })

  it('migration 023 keeps the values of a database from before it, and finds route keys of its contexts by walking them', () => {
    const file = join(tempDir(), 'before-023.db')
    const { withRoutes, without } = oldDatabase(file, 22, (old) => {
      const insertJob = old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES (?, 'workflow', 'ws:dag', 'succeeded', 'admin', '{}', 1, 1)`)
      const insertValue = old.prepare('INSERT INTO job_values (job_id, name, value) VALUES (?, ?, ?)')
      const withRoutes = Number(insertJob.run('r').lastInsertRowid)
      insertValue.run(withRoutes, 'input', '{"a":1}')
      insertValue.run(withRoutes, 'context', '{"a":1,"__b_0":{"x":1}}')
      const without = Number(insertJob.run('p').lastInsertRowid)
      insertValue.run(without, 'context', '{"a":{"__deep":1}}')
      return { withRoutes, without }
    })

    const db = openDatabase(file)
    const jobs = createJobRepository(db)
    expect(jobs.get(withRoutes)).toMatchObject({ input: { a: 1 }, context: { a: 1, __b_0: { x: 1 } } })
    expect(jobs.contextHasRouteKeys(withRoutes)).toBe(true)
    expect(jobs.contextHasRouteKeys(without)).toBe(false) // a `__` key below the top level is no route
    expect(jobs.contextHasRouteKeys(without, { __live: 1 })).toBe(true) // a running job's live context, when the stored keys are not known
    expect(jobs.stateSlices(withRoutes, 'context')!.size).toBe(Buffer.byteLength('{"a":1,"__b_0":{"x":1}}'))
    // a save knows the keys it writes
    jobs.saveJob({ ...jobs.get(without)!, context: { __c: 1 } })
    expect(db.prepare("SELECT route_keys AS k FROM job_values WHERE job_id = ? AND name = 'context'").get(without)).toEqual({ k: 1 })
    expect(jobs.contextHasRouteKeys(without)).toBe(true)
    db.close()
  })

  it('a context given as a tail after its input reads back whole, by text, bytes, slices and size', () => {
    const db = openDatabase(join(tempDir(), 'tail.db'))
    const jobs = createJobRepository(db)
    const inputJson = `{"s":"${'é'.repeat(40_000)}😀","n":1} \n`
    const input = JSON.parse(inputJson) as Record<string, unknown>
    const tail = ',"flow_execution_id":"ws:dag-1"}'
    const id = jobs.create({ uuid: 'u', kind: 'workflow', name: 'ws:dag', submitter: 'admin', input, inputJson, context: { ...input, flow_execution_id: 'ws:dag-1' }, contextTail: tail }, [])
    const whole = `{"s":"${'é'.repeat(40_000)}😀","n":1${tail}`
    expect(jobs.stateText(id, 'context')).toBe(whole)
    expect(jobs.stateBytes(id, 'context')!.toString('utf8')).toBe(whole)
    const slices = jobs.stateSlices(id, 'context')!
    expect(slices.size).toBe(Buffer.byteLength(whole))
    const parts: Buffer[] = []
    for (let from = 0; from < slices.size; from += 7_001) parts.push(slices.slice(from, 7_001)!)
    expect(Buffer.concat(parts).toString('utf8')).toBe(whole)
    expect(jobs.get(id)!.context).toEqual({ ...input, flow_execution_id: 'ws:dag-1' })
    expect(jobs.contextHasRouteKeys(id)).toBe(false)
    // what answers count of a job's values: the whole context, though a tail is stored
    expect(jobs.historyBytes({ limit: 10, offset: 0 })).toBeGreaterThanOrEqual(Buffer.byteLength(inputJson) + Buffer.byteLength(whole))
    db.close()
  })
})
