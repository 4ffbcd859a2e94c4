// atk9 (#9 §4): cookies ignore ports, so a page on any other port of this computer (another local
// user's web server, a dev server) may set cookies that JobDesk's pages then send: `document.cookie =
// "linkis_user_session_ticket_id_v1=<bob's ticket>; path=/api/rest_j/v1/entrance"`. The browser sends
// the cookie of the longer path first, before the victim's own, and JobDesk takes the first of a
// repeated name (cookies.ts requestCookie). The victim's console then submits as bob, who reads the
// victim's code and results. SameSite=Strict does not help (the cookie is sent by JobDesk's own page)
// and neither does HttpOnly (a cookie of another path is another cookie). A request that carries two
// values of one session cookie is ambiguous and should be refused, not taken as the first one's user.
// The Rill Flow console cookie (path /flow) and explorer_token take the first value the same way.
import { beforeAll, expect, it } from 'vitest'
import { SESSION_COOKIE } from '../../electron/http/dialects/linkis/auth'
import type { TestApp } from '../support/app'
import { appSuite } from '../support/app-suite'
import type { TestUser } from '../support/users'

let t: TestApp
let bob: TestUser
let alice: TestUser
const suite = appSuite('bob', 'alice')
beforeAll(() => ({ t, users: { bob, alice } } = suite))

/** A Linkis console sign-in: the session ticket it sets. */
async function ticketOf(user: TestUser): Promise<string> {
  const res = await fetch(`${t.url}/api/rest_j/v1/user/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userName: user.username, password: user.password }) })
  expect(res.status).toBe(200)
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`))!
  return cookie.split(';')[0].slice(SESSION_COOKIE.length + 1)
}

it("does not take a victim's request as another user's when a second session cookie was tossed in ahead of theirs", async () => {
  const bobs = await ticketOf(bob)
  const alices = await ticketOf(alice)
  // as the browser sends them: the tossed cookie (longer path) first, alice's own after it
  const res = await fetch(`${t.url}/api/rest_j/v1/entrance/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: `${SESSION_COOKIE}=${bobs}; ${SESSION_COOKIE}=${alices}` },
    body: JSON.stringify({ executionContent: { code: 'select 1;', runType: 'sql' }, labels: { engineType: 'sql', userCreator: 'alice-IDE' } }),
  })
  const body = (await res.json()) as { status: number; data?: { taskID?: number } }
  const taskID = body.data?.taskID
  // whatever the answer, the job must not be bob's: bob must not see alice's code
  if (body.status === 0 && taskID !== undefined) {
    const seen = await bob.call('GET', `/api/v1/jobs/${taskID}`)
    expect(seen.status, `alice's submit with a tossed cookie became job ${taskID}, which bob reads: ${JSON.stringify(seen.body).slice(0, 200)}`).toBe(404)
  }
})

it("does not take a Rill Flow console request as another user's when a second console cookie was tossed in ahead", async () => {
  const consoleToken = async (user: TestUser) => {
    const res = await fetch(`${t.url}/flow/bg/user/login.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: user.username, password: user.password }) })
    expect(res.status).toBe(200)
    return ((await res.json()) as { token: string }).token
  }
  const bobs = await consoleToken(bob)
  const alices = await consoleToken(alice)
  const res = await fetch(`${t.url}/flow/bg/user/currentUser.json`, { headers: { cookie: `rillflow_session=${bobs}; rillflow_session=${alices}` } })
  const who = (await res.json()) as { username?: string }
  expect(who.username, "alice's console, with bob's cookie tossed in ahead of hers, signed in as").not.toBe('bob')
})
