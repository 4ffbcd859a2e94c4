// An open event stream (GET /api/v1/events) follows its user (events.ts, #9 §3): when an admin
// changes the user's role it ends at once (the user repository's change notice, not the 15 s check),
// so the client reconnects as who they are now; a change that does not touch what it may carry (a
// right) leaves it open. It ends as soon as its own session does, in whichever dialect that session
// signs out (users.revokeToken's change notice), and an admin's password reset ends it too; the
// user's other sessions' streams stay.
// A disabled account's stream says so (event session.ended, with the reason) before it ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, signIn, type TestUser } from '../support/users'

let t: TestApp
let eve: TestUser
let fay: TestUser

beforeAll(async () => {
  t = await startTestApp()
  eve = await addUser(t, 'eve', { role: 'admin' })
  fay = await addUser(t, 'fay')
}, 60_000)
afterAll(() => t.close())

/** Opens `token`'s event stream; `ended` resolves when the server ends it (ms after opening). */
async function openStream(token: string): Promise<{ ended: Promise<number>; stop: () => void }> {
  const controller = new AbortController()
  const opened = Date.now()
  const res = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal })
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  const ended = (async () => {
    try {
      while (!(await reader.read()).done);
    } catch {
      return -1 // aborted by stop()
    }
    return Date.now() - opened
  })()
  return { ended, stop: () => controller.abort() }
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still open'> => Promise.race([p, new Promise<'still open'>((r) => setTimeout(() => r('still open'), ms))])

describe('an event stream follows its user', () => {
  it('ends within seconds of its admin being made a plain user, well before the 15 s check', async () => {
    const stream = await openStream(eve.token)
    expect((await t.call('POST', '/api/v1/users/eve', { role: 'user' })).status).toBe(200)
    const ms = await within(stream.ended, 5_000)
    stream.stop()
    expect(ms, 'the stream of the demoted admin').not.toBe('still open')
  }, 30_000)

  it('ends when a plain user is made an admin (it reconnects seeing everything)', async () => {
    const stream = await openStream(fay.token)
    expect((await t.call('POST', '/api/v1/users/fay', { role: 'admin' })).status).toBe(200)
    const ms = await within(stream.ended, 5_000)
    stream.stop()
    expect(ms, 'the stream of the promoted user').not.toBe('still open')
  }, 30_000)

  it('stays open when only a right changes', async () => {
    const stream = await openStream(fay.token)
    expect((await t.call('POST', '/api/v1/users/fay', { rights: ['scripts'] })).status).toBe(200)
    const ms = await within(stream.ended, 2_000)
    stream.stop()
    expect(ms).toBe('still open')
  }, 30_000)

  it('ends when its session signs out through Linkis (user/logout), and the same user’s other stream stays', async () => {
    const login = await t.call('POST', '/api/rest_j/v1/user/login', { userName: fay.username, password: fay.password })
    const ticket = /linkis_user_session_ticket_id_v1=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1]
    expect(ticket, JSON.stringify(login.body)).toBeTruthy()
    const linkis = await openStream(ticket!) // a Linkis password session is a user session: it opens the stream too
    const other = await openStream(fay.token)
    const out = await t.call('POST', '/api/rest_j/v1/user/logout', undefined, { cookie: `linkis_user_session_ticket_id_v1=${ticket}` })
    expect(out.status).toBe(200)
    const ms = await within(linkis.ended, 3_000)
    linkis.stop()
    expect(ms, 'the stream of the signed-out Linkis session').not.toBe('still open')
    expect(await within(other.ended, 1_000), 'the stream of her native session').toBe('still open')
    other.stop()
  }, 30_000)

  it('ends when an admin resets the password (every session of the user ends)', async () => {
    const token = await signIn(t, fay.username, fay.password)
    const stream = await openStream(token)
    expect((await t.call('POST', '/api/v1/users/fay', { password: 'fay-reset-password-2' })).status).toBe(200)
    const ms = await within(stream.ended, 3_000)
    stream.stop()
    expect(ms, 'the stream of the user whose password was reset').not.toBe('still open')
  }, 30_000)

  it('ends with a session.ended event saying why when the account is disabled (the web UI shows it)', async () => {
    const gus = await addUser(t, 'gus')
    const res = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${gus.token}` } })
    expect(res.status).toBe(200)
    const text = res.text() // the whole stream, once the server ends it
    expect((await t.call('POST', '/api/v1/users/gus', { disabled: true })).status).toBe(200)
    const all = await within(text, 5_000)
    expect(all).toContain('event: session.ended\ndata: {"reason":"Your account gus was disabled by an administrator; ask an admin to enable it."}\n\n')
  }, 30_000)
})
