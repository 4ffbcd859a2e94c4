// The Jobs table's server side (#13.2): sorting, a date range, search that puts an exact id first,
// and deleting finished jobs (owner or admin; an unfinished job must be cancelled first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
const ids: number[] = []
const script = (code: string) => ({ type: 'script', language: 'shell', code })
const listIds = async (query: string, as: TestApp['call'] = t.call) => {
  const res = await as('GET', `/api/v1/jobs?${query}`)
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  return (res.body.items as { id: number }[]).map((j) => j.id)
}

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob', { rights: ['scripts'] })
  // names chosen so that name order differs from id order; job 12's name mentions "12" too
  for (const code of ['echo b', 'echo c', 'echo a', 'sleep 0.3; echo slow']) ids.push((await t.call('POST', '/api/v1/jobs', script(code))).body.id)
  for (let i = 5; i <= 11; i++) ids.push((await t.call('POST', '/api/v1/jobs', script(`echo filler ${i}`))).body.id)
  ids.push((await t.call('POST', '/api/v1/jobs', script('echo job 1 of 2'))).body.id) // id 12
  for (const id of ids) await waitForStatus(t, id, ['succeeded'])
}, 60_000)
afterAll(() => t.close())

describe('jobs list: sort, date range, exact id first', () => {
  it('sorts by a column either way, ties by id, and refuses an unknown column by name', async () => {
    expect(await listIds('limit=3')).toEqual([12, 11, 10])
    expect(await listIds('sort=id&order=asc&limit=3')).toEqual([1, 2, 3])
    expect(await listIds('sort=name&order=asc&limit=3')).toEqual([3, 1, 2]) // echo a, echo b, echo c
    // by the durations the server recorded (on a busy machine an echo can outlast job 4's 0.3 s sleep)
    const all = (await t.call('GET', '/api/v1/jobs?limit=100')).body.items as { id: number; startedAt: number; finishedAt: number }[]
    const took = (j: (typeof all)[number]) => j.finishedAt - j.startedAt
    expect(await listIds('sort=duration&order=desc&limit=100')).toEqual([...all].sort((a, b) => took(b) - took(a) || b.id - a.id).map((j) => j.id))
    expect(await listIds('sort=duration&order=asc&limit=100')).toEqual([...all].sort((a, b) => took(a) - took(b) || a.id - b.id).map((j) => j.id))
    expect(new Set(all.map(took)).size, 'the durations differ, so the order says something').toBeGreaterThan(1)
    const bad = await t.call('GET', '/api/v1/jobs?sort=evil')
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('sort')
    const injected = await t.call('GET', `/api/v1/jobs?order=${encodeURIComponent('asc; DROP TABLE jobs')}`)
    expect(injected.status).toBe(400)
  })

  it('keeps jobs submitted within the date range', async () => {
    const times = (await t.call('GET', '/api/v1/jobs?limit=100')).body.items.map((j: { createdAt: number }) => j.createdAt) as number[]
    const newest = Math.max(...times)
    expect(await listIds(`from=${newest + 1}`)).toEqual([])
    expect((await listIds(`to=${newest + 1}&limit=100`)).length).toBe(12)
    expect(await listIds(`from=${newest}&limit=100`)).toContain(12)
  })

  it('lists the job whose id is the search text first, then jobs whose name contains it', async () => {
    // job 1 first, then those whose name or uuid contains "1", newest first
    const found = (await t.call('GET', '/api/v1/jobs?text=1&limit=100')).body.items as { id: number; name: string; uuid: string }[]
    expect(found[0].id).toBe(1)
    expect(found.slice(1).map((j) => j.id)).toEqual([...found.slice(1).map((j) => j.id)].sort((a, b) => b - a))
    expect(found.map((j) => j.id)).toEqual(expect.arrayContaining([12, 11, 10]))
    for (const j of found.slice(1)) expect(`${j.name} ${j.uuid}`).toContain('1')
    expect(await listIds('text=%2312')).toEqual([12]) // "#12"
    const uuid = (await t.call('GET', '/api/v1/jobs/5')).body.uuid
    expect(await listIds(`text=${uuid}`)).toEqual([5])
  })
})

describe('deleting jobs', () => {
  it('deletes a finished job with its tasks and log; it is gone from the list and the API', async () => {
    const before = (await t.call('GET', '/api/v1/jobs')).body.total
    const res = await t.call('DELETE', `/api/v1/jobs/${ids[0]}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ id: ids[0], deleted: true })
    expect((await t.call('GET', `/api/v1/jobs/${ids[0]}`)).status).toBe(404)
    expect((await t.call('GET', `/api/v1/jobs/${ids[0]}/logs`)).status).toBe(404)
    expect((await t.call('GET', '/api/v1/jobs')).body.total).toBe(before - 1)
    expect(t.app.store.logs.count(ids[0])).toBe(0)
    expect((await t.call('DELETE', `/api/v1/jobs/${ids[0]}`)).status).toBe(404)
  })

  it('refuses to delete a running job until it is cancelled', async () => {
    const { id } = (await t.call('POST', '/api/v1/jobs', script('sleep 30'))).body
    await waitForStatus(t, id, ['running'])
    const refused = await t.call('DELETE', `/api/v1/jobs/${id}`)
    expect(refused.status).toBe(409)
    expect(refused.body.error).toMatchObject({ kind: 'conflict', code: 'job_unfinished' })
    expect(refused.body.error.message).toContain('cancel it')
    await t.call('POST', `/api/v1/jobs/${id}/cancel`, {})
    await waitForStatus(t, id, ['cancelled'])
    expect((await t.call('DELETE', `/api/v1/jobs/${id}`)).status).toBe(200)
  })

  it("lets a user delete their own jobs but not another user's", async () => {
    // answered as an unknown job (#9 §3)
    const refused = await bob.call('DELETE', `/api/v1/jobs/${ids[1]}`)
    expect(refused.body.error).toEqual({ kind: 'not_found', code: 'job_not_found', message: `job ${ids[1]} does not exist` })
    expect((await t.call('GET', `/api/v1/jobs/${ids[1]}`)).status).toBe(200)
    const own = (await bob.call('POST', '/api/v1/jobs', script('echo mine'))).body.id
    await waitForStatus(t, own, ['succeeded'])
    expect((await bob.call('DELETE', `/api/v1/jobs/${own}`)).status).toBe(200)
  })
})
