// Migration 014 (#9 §2): a job's input, context and result live in job_values, one row each, so a
// status step rewrites only the small jobs row. A database from before keeps every value.
import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createJobRepository } from '../../electron/store/job.repository'
import { MIGRATIONS, runMigration } from '../../electron/store/migrations'
import { tempDir } from '../support/temp-store'

describe('job values (migration 014)', () => {
  it('moves the input, context and result of existing jobs out of their rows, and reads them back whole', () => {
    const file = join(tempDir(), 'old.db')
    const old = new Database(file)
    for (const m of MIGRATIONS.slice(0, 13)) runMigration(old, m)
    old.pragma('user_version = 13')
    old.prepare(
      `INSERT INTO jobs (uuid, kind, name, status, input, context, result, submitter, labels, created_at, updated_at)
       VALUES ('u1', 'workflow', 'ws:dag', 'succeeded', '{"a":1}', '{"a":1,"flow_execution_id":"x"}', '{"a":1}', 'admin', '{}', 1, 1)`,
    ).run()
    old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u2', 'shell', 'bare', 'queued', 'admin', '{}', 2, 2)`).run()
    old.close()

    const db = openDatabase(file)
    const jobs = createJobRepository(db)
    const [first, second] = [jobs.getByUuid('u1')!, jobs.getByUuid('u2')!]
    expect(first).toMatchObject({ input: { a: 1 }, context: { a: 1, flow_execution_id: 'x' }, result: { a: 1 } })
    expect(second).toMatchObject({ input: null, context: null, result: null })
    expect(db.prepare('SELECT count(*) AS n FROM jobs WHERE input IS NOT NULL OR context IS NOT NULL OR result IS NOT NULL').get()).toEqual({ n: 0 })
    expect(jobs.stateText(first.id, 'context')).toBe('{"a":1,"flow_execution_id":"x"}')
    expect(jobs.stateText(second.id, 'context')).toBe(null)
    expect(jobs.stateText(999, 'context')).toBe(undefined)

    // a save writes the values it is given; a job deleted takes its values with it
    jobs.saveJob({ ...first, status: 'succeeded', result: null, context: { b: 2 } })
    expect(jobs.get(first.id)).toMatchObject({ input: { a: 1 }, context: { b: 2 }, result: null })
    jobs.delete(first.id)
    expect(db.prepare('SELECT count(*) AS n FROM job_values').get()).toEqual({ n: 0 })
    db.close()
  })
})
