import type { Right, Role } from '../../shared/model'
import type { TestApp } from './app'

export interface TestUser {
  username: string
  password: string
  token: string
  /** t.call with this user's bearer token instead of the admin's. */
  call: TestApp['call']
}

/** A user made by createUser: signed in, with the password they chose. */
export interface SignedInUser {
  username: string
  password: string
  token: string
}

/**
 * Creates a user through the admin API (POST /api/v1/users, as `app`'s admin token) of any app by
 * URL, in-process or served, and takes them through their first sign-in: the password the admin set
 * opens nothing else (#9), so they change it to `password` (`<username>-password-1`) with the same
 * token, which stays good. Throws naming the step that failed.
 */
export async function createUser(app: { url: string; token: string }, username: string, o: { role?: Role; rights?: Right[] } = {}): Promise<SignedInUser> {
  const initial = `${username}-initial-1`
  const password = `${username}-password-1`
  const post = (path: string, token: string, body: unknown) =>
    fetch(`${app.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
  const made = await post('/api/v1/users', app.token, { username, password: initial, ...o })
  if (made.status !== 201) throw new Error(`users.create: ${made.status} ${await made.text()}`)
  const token = await signIn(app, username, initial)
  const changed = await post('/api/v1/me/password', token, { oldPassword: initial, newPassword: password })
  if (changed.status !== 200) throw new Error(`session.changePassword: ${changed.status} ${await changed.text()}`)
  return { username, password, token }
}

/** createUser on an in-process test app, with `call` as that user. */
export async function addUser(t: TestApp, username: string, o: { role?: Role; rights?: Right[] } = {}): Promise<TestUser> {
  const user = await createUser(t, username, o)
  return { ...user, call: callAs(t, user.token) }
}

export async function signIn(t: { url: string }, username: string, password: string): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const body = (await res.json()) as { token?: string }
  if (!body.token) throw new Error(`login of ${username}: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

export const callAs =
  (t: TestApp, token: string): TestApp['call'] =>
  (method, path, body, headers = {}) =>
    t.call(method, path, body, { authorization: `Bearer ${token}`, ...headers })


/**
 * A native sign-in over HTTP as a browser sends it: with the cookies it holds (`name=value; …`), if
 * any. Answers the status, the body, the Set-Cookie headers and the cookies they set as a browser
 * would send them back (`cookie`; undefined when none): the device cookie of a sign-in that worked.
 */
export async function browserLogin(url: string, username: string, password: string, cookie?: string) {
  const r = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  })
  const body = (await r.json()) as { token?: string; error?: { code: string; message: string } }
  const setCookies = r.headers.getSetCookie()
  return { status: r.status, body, setCookies, cookie: setCookies.map((c) => c.split(';')[0]).join('; ') || undefined }
}
