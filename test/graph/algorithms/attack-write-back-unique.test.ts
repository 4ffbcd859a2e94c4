// Attack (#9 atk, algorithm write-back of d45bd96c): write-back refuses a primary property at submit
// (write-back.ts: "write into another property") and a result type that does not fit, but not a
// property with a unique index (TuGraph's `index: true, unique: true`; such a property cannot be
// optional, so it always holds values and `overwrite: true` is asked for). WCC gives every vertex of
// a component the same id: the write-back UPDATE then breaks the unique index inside the worker's
// transaction. Nothing is written (the transaction rolls back), but the submit answered 201, the
// algorithm ran, and the job failed at the end with SQLite's own words (`UNIQUE constraint failed:
// …`, its table and column names) where the field and the reason should have been named before the
// job existed. Now refused at submit, and again when the values are written (write-back.ts requireNonKeyProperty).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../../support/app'
import { seedPersonsGraph } from '../support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedPersonsGraph(t.app, t.dir, [{ name: 'badge', type: 'INT64', index: true, unique: true }], { columns: ['badge'], csv: '1,101\n2,102\n3,103\n4,104\n5,105\n' })
}, 60_000)
afterAll(() => t.close())

it('LOW: WCC written back into a unique-indexed property is refused at submit, naming writeBack.property', async () => {
  const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'WCC', source: { kind: 'graph', graph: 'people' }, writeBack: { property: 'badge', overwrite: true } })
  if (res.status === 201) {
    const job = await waitForStatus(t, res.body.id, ['succeeded', 'failed', 'cancelled'])
    console.log(`as it is: submit 201, job ${job.status}: ${job.error}`)
  }
  expect(res.status, JSON.stringify(res.body)).toBe(400)
  expect(res.body.error.field).toBe('writeBack.property')
}, 60_000)
