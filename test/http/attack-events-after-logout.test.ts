// Attack (atk23, #9 §3): an event stream "ends with its session (signed out, password changed, user
// disabled)" (http/native/events.ts), at once through users.onChange. Signing out revokes the token
// (users.revokeToken) without a change notice, so the stream of a session that has ended keeps
// carrying its jobs' changes and log lines until the 15 s check (on a shared computer: to whoever
// holds the page after the sign-out). Expected: it ends within seconds, as for a disabled user.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let gil: TestUser

const suite = appSuite('gil')
beforeAll(() => ({ t, users: { gil } } = suite))

describe('an event stream after its session signs out', () => {
  it('ends within 3 s of POST /api/v1/logout', async () => {
    const controller = new AbortController()
    const res = await fetch(`${t.url}/api/v1/events`, { headers: { authorization: `Bearer ${gil.token}` }, signal: controller.signal })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    const ended = (async () => {
      try {
        while (!(await reader.read()).done);
        return 'ended'
      } catch {
        return 'aborted'
      }
    })()
    expect((await gil.call('POST', '/api/v1/logout')).status).toBe(200)
    expect((await gil.call('GET', '/api/v1/me')).status).toBe(401) // the session did end
    const outcome = await Promise.race([ended, new Promise<string>((r) => setTimeout(() => r('still open'), 3_000))])
    controller.abort()
    expect(outcome, 'the signed-out session’s stream').toBe('ended') // today: still open (the 15 s check ends it)
  }, 30_000)
})
