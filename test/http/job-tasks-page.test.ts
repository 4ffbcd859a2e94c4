// GET /api/v1/jobs/:id/tasks pages a job's tasks (#9 §2): a wide job's detail carries its first
// DETAIL_TASKS only, and no route gave the others. Owner or admin, in the order the tasks were made,
// of one state or of all, with how many there are; tasks a redo dropped are neither paged nor counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DETAIL_TASKS } from '../../shared/model'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { wideStoredJob } from '../support/wide-jobs'

const WIDE = 1_201
let t: TestApp
let dave: TestUser
let id: number
beforeAll(async () => {
  t = await startTestApp()
  dave = await addUser(t, 'dave')
  id = wideStoredJob(t.app.store, 'dave', WIDE)
})
afterAll(() => t?.close())

const names = (body: { items: { name: string }[] }) => body.items.map((x) => x.name)
const sub = (i: number) => `fe_${i}-w`

describe('a page of a job’s tasks', () => {
  it('pages every task in the order they were made, with the total', async () => {
    const first = await dave.call('GET', `/api/v1/jobs/${id}/tasks`)
    expect(first.status).toBe(200)
    expect(first.body.total).toBe(WIDE)
    expect(names(first.body)).toEqual(['fe', ...Array.from({ length: 99 }, (_, i) => sub(i + 1))]) // 100 unless asked
    const last = await dave.call('GET', `/api/v1/jobs/${id}/tasks?offset=1000&limit=${DETAIL_TASKS}`)
    expect(names(last.body)).toEqual(Array.from({ length: WIDE - 1000 }, (_, i) => sub(1000 + i)))
    expect(last.body.items[0]).toMatchObject({ name: sub(1000), status: 'pending', executor: 'noop' })
    const past = await dave.call('GET', `/api/v1/jobs/${id}/tasks?offset=5000`)
    expect(past.body).toEqual({ items: [], total: WIDE })
  })

  it('pages the tasks of one state, the total counting that state', async () => {
    const done = await dave.call('GET', `/api/v1/jobs/${id}/tasks?status=succeeded&offset=10&limit=3`)
    expect(done.status).toBe(200)
    expect(done.body.total).toBe((WIDE - 1) / 2)
    expect(names(done.body)).toEqual([sub(21), sub(23), sub(25)]) // every other one succeeded (wide-jobs.ts)
    const none = await dave.call('GET', `/api/v1/jobs/${id}/tasks?status=running`)
    expect(none.body).toEqual({ items: [], total: 0 })
  })

  it('is the owner’s or an admin’s only', async () => {
    expect((await t.call('GET', `/api/v1/jobs/${id}/tasks?limit=1`)).body).toMatchObject({ total: WIDE, items: [{ name: 'fe' }] })
    const eve = await addUser(t, 'eve')
    const other = await eve.call('GET', `/api/v1/jobs/${id}/tasks`)
    expect(other.status).toBe(404)
    expect(JSON.stringify(other.body)).not.toContain('fe_1-w')
    expect((await dave.call('GET', '/api/v1/jobs/999999/tasks')).status).toBe(404)
  })

  it('refuses a bad offset, limit or status', async () => {
    for (const q of ['offset=-1', 'limit=0', `limit=${DETAIL_TASKS + 1}`, 'limit=x', 'status=done']) {
      const r = await dave.call('GET', `/api/v1/jobs/${id}/tasks?${q}`)
      expect(r.status, q).toBe(400)
    }
  })

  it('gives every page as the whole list has it, read from either end, redo drops noted or not', async () => {
    // a redone foreach: its 150 old sub-tasks dropped, 100 new ones made (names 1-100 taken back, 101-150 hidden till swept)
    const redone = wideStoredJob(t.app.store, 'dave', 151)
    t.app.store.transaction(() => t.app.store.jobs.dropSubTasks(redone, ['fe']))
    t.app.store.jobs.addTasks(redone, Array.from({ length: 100 }, (_, i) => ({ name: sub(i + 1), executor: 'noop' })))
    t.app.store.db.prepare("UPDATE tasks SET status = 'succeeded' WHERE job_id = ? AND id % 3 = 0").run(redone)
    for (const job of [id, redone]) {
      const all = t.app.store.jobs.tasksWithoutSpec(job, 'none') // the visible tasks, in the order made
      for (const status of [undefined, 'pending', 'succeeded'] as const) {
        const whole = names({ items: all.filter((x) => !status || x.status === status) })
        const n = whole.length
        for (const [offset, limit] of [[0, 7], [1, 50], [n >> 1, 33], [Math.max(0, n - 40), 30], [n - 3, 10], [n - 1, 1]]) {
          const r = await dave.call('GET', `/api/v1/jobs/${job}/tasks?offset=${offset}&limit=${limit}${status ? `&status=${status}` : ''}`)
          expect(r.body, `job ${job} ${status} ${offset}+${limit}`).toEqual(expect.objectContaining({ total: whole.length }))
          expect(names(r.body), `job ${job} ${status} ${offset}+${limit}`).toEqual(whole.slice(offset, offset + limit))
        }
      }
    }
  })

  it('neither pages nor counts the sub-tasks a redo dropped', async () => {
    const redone = wideStoredJob(t.app.store, 'dave', 50)
    t.app.store.transaction(() => t.app.store.jobs.dropSubTasks(redone, ['fe']))
    const r = await dave.call('GET', `/api/v1/jobs/${redone}/tasks`)
    expect(r.body).toEqual({ items: [expect.objectContaining({ name: 'fe' })], total: 1 })
    expect((await dave.call('GET', `/api/v1/jobs/${redone}`)).body).toMatchObject({ taskCount: 1, taskCounts: { pending: 1 } })
  })
})
