// A session an admin ended by disabling its account is refused with the reason (401 account_disabled,
// "…was disabled by an administrator…"), not the bare "sign in first" of any gone token: whichever of
// an open page's requests meets the refusal first (a list, the event stream's reconnect, a reload's
// who-am-I), the page can tell its user why it signs out (trial10 task A). Other ended sessions keep
// the plain no_session, and so does the old token once the account is enabled again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, signIn } from '../support/users'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

const disable = async (name: string, disabled: boolean) => expect((await t.call('POST', `/api/v1/users/${name}`, { disabled })).status).toBe(200)

describe('401 of a disabled account’s session', () => {
  it('says account_disabled and why, on calls and on the event stream; the plain no_session again once enabled', async () => {
    const hal = await addUser(t, 'hal')
    const other = await signIn(t, hal.username, hal.password) // every session of theirs ends
    await disable('hal', true)
    for (const [method, path] of [['GET', '/api/v1/jobs'], ['GET', '/api/v1/me'], ['GET', '/api/v1/events']] as const) {
      const res = await hal.call(method, path)
      expect(res.status, path).toBe(401)
      expect(res.body.error, path).toMatchObject({ kind: 'unauthenticated', code: 'account_disabled', message: 'Your account hal was disabled by an administrator; ask an admin to enable it.' })
    }
    expect((await t.call('GET', '/api/v1/jobs', undefined, { authorization: `Bearer ${other}` })).body.error.code).toBe('account_disabled')
    // enabled again: the old tokens stay ended, for no reason to tell now; a sign-in works
    await disable('hal', false)
    expect((await hal.call('GET', '/api/v1/jobs')).body.error.code).toBe('no_session')
    expect((await signIn(t, hal.username, hal.password)).length).toBeGreaterThan(10)
  })

  it('leaves other ended sessions the plain no_session: signed out, reset password, never issued', async () => {
    const ida = await addUser(t, 'ida')
    const out = await signIn(t, ida.username, ida.password)
    await t.call('POST', '/api/v1/logout', undefined, { authorization: `Bearer ${out}` })
    expect((await t.call('GET', '/api/v1/jobs', undefined, { authorization: `Bearer ${out}` })).body.error.code).toBe('no_session')
    expect((await t.call('POST', '/api/v1/users/ida', { password: 'ida-reset-password-2' })).status).toBe(200)
    expect((await ida.call('GET', '/api/v1/jobs')).body.error.code).toBe('no_session')
    expect((await t.call('GET', '/api/v1/jobs', undefined, { authorization: 'Bearer not-a-token' })).body.error.code).toBe('no_session')
  })
})
