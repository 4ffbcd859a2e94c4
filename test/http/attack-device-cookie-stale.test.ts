// Attack (atk31, device cookies): a password change is how an account is taken back from someone
// who learned its password ("every other session and ticket of the user, in every dialect, ends").
// Device cookies are stateless (an HMAC of user id, name, device id and issue time) and good for 180
// days, and every sign-in mints a fresh one while the old ones stay good. So whoever knew the old
// password can sign in N times first, keep N cookies, and after the owner changes the password
// still make 5 guesses per cookie at the new one before any waits: the pair, address and account
// counts (100 over all addresses) never see them. A cookie issued before the change must vouch for
// nothing after it: such a sign-in is a client like any other.
// The sign-in clock stands still from the password change on: the back-offs (1 s, 2 s, …) then end by
// no wall time, so guesses slowed by a loaded machine (scrypt each) are not evaluated for that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, browserLogin, type TestUser } from '../support/users'

const login = browserLogin

describe('device cookies issued before a password change', () => {
  let t: TestApp
  let bob: TestUser
  let stillAt: number | undefined // set: the sign-in clock stands at it
  beforeAll(async () => {
    t = await startTestApp({ authNow: () => stillAt ?? Date.now() })
    bob = await addUser(t, 'bob')
  }, 60_000)
  afterAll(() => t?.close())

  it('no longer vouch for sign-ins after it: old cookies add no guesses at the new password', async () => {
    // whoever learned bob's password signs in as a browser 4 times and keeps every device cookie
    const kept: string[] = []
    for (let i = 0; i < 4; i++) kept.push((await login(t.url, 'bob', bob.password)).cookie!)
    expect(new Set(kept).size).toBe(4)

    // bob takes his account back: a new password; every other session of his ends
    const changed = await fetch(`${t.url}/api/v1/me/password`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bob.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ oldPassword: bob.password, newPassword: 'bob-taken-back-9' }),
    })
    expect(changed.status).toBe(200)
    stillAt = Date.now()

    // five wrong guesses from this address without a cookie: a client is held there
    for (let i = 0; i < 5; i++) expect((await login(t.url, 'bob', `guess-${i}`)).status).toBe(401)
    expect((await login(t.url, 'bob', 'guess-5')).status).toBe(429)

    // with the cookies kept from before the change, each guess is still evaluated (401), 5 per cookie
    const answers: number[] = []
    for (const cookie of kept) for (let i = 0; i < 5; i++) answers.push((await login(t.url, 'bob', `more-${i}`, cookie)).status)
    const evaluated = answers.filter((s) => s === 401).length
    expect(evaluated, `${evaluated} guesses at bob's new password were evaluated past the back-off with cookies from before the change`).toBe(0)
  })
})
