// Denial of service through the per-user sign-in back-off (#9 §3): anyone who can send a login
// request (another address once the server is open to the network, or any local user) can, with a
// handful of wrong guesses, keep the admin's right password refused everywhere — the back-off is
// keyed by the user name alone. The guesses of one address must not lock the account for the
// person signing in from another address (here: the admin at this computer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { movedClock } from '../support/moved-clock'

describe('a stranger cannot lock the admin out', () => {
  let t: TestApp
  const clock = movedClock() // the sign-in clock: the back-off below is waited out by moving it
  beforeAll(async () => {
    t = await startTestApp({ authNow: clock.now })
  }, 60_000)
  afterAll(() => t.close())

  const login = (remoteAddress: string, username: string, password: string) =>
    t.app.server.inject({ method: 'POST', url: '/api/v1/login', remoteAddress, payload: { username, password } })

  it("another address's wrong guesses (any spelling of the name) do not refuse the admin's right password from loopback", async () => {
    // five guesses from a remote address, spelled as the throttle folds them
    for (const name of ['admin', 'ADMIN', ' Admin', 'admin ', 'aDmIn']) expect((await login('192.0.2.66', name, 'wrong-guess')).statusCode).toBe(401)
    const mine = await login('127.0.0.1', 'admin', '73@TuGraph')
    expect(mine.statusCode).toBe(200) // today: 429 too_many_attempts for user "admin"
  })

  it('wrong Linkis Token-Codes naming Token-User admin do not refuse the admin’s password', async () => {
    clock.pass(1_100) // the first test's back-off (1 s) has passed
    expect((await login('127.0.0.1', 'admin', '73@TuGraph')).statusCode).toBe(200)
    for (let i = 0; i < 5; i++) {
      const r = await t.app.server.inject({ method: 'GET', url: '/api/rest_j/v1/jobhistory/list', remoteAddress: '192.0.2.67', headers: { 'Token-Code': `guess-${i}`, 'Token-User': 'admin' } })
      expect(r.json()).toMatchObject({ status: -1 })
    }
    expect((await login('127.0.0.1', 'admin', '73@TuGraph')).statusCode).toBe(200) // today: 429
  })
})
