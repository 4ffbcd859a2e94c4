// A user's preferences (#13.7): notifications when their jobs end, on by default, kept per user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t.close())

describe('preferences', () => {
  it('reads defaults, keeps a change per user, and names a bad field', async () => {
    const bob = await addUser(t, 'bob')
    expect((await t.call('GET', '/api/v1/me/preferences')).body).toEqual({ notifyJobEnds: true })
    expect((await t.call('POST', '/api/v1/me/preferences', { notifyJobEnds: false })).body).toEqual({ notifyJobEnds: false })
    expect((await t.call('GET', '/api/v1/me/preferences')).body).toEqual({ notifyJobEnds: false })
    expect((await bob.call('GET', '/api/v1/me/preferences')).body).toEqual({ notifyJobEnds: true })
    const bad = await t.call('POST', '/api/v1/me/preferences', { notifyJobEnds: 'yes please' })
    expect(bad.status).toBe(400)
    expect(bad.body.error.field).toBe('notifyJobEnds')
    expect((await t.call('POST', '/api/v1/me/preferences', { theme: 'x' })).status).toBe(400)
  })
})
