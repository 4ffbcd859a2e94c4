import type { Right, Role } from '../../shared/model'
import type { TestApp } from './app'

export interface TestUser {
  username: string
  password: string
  token: string
  /** t.call with this user's bearer token instead of the admin's. */
  call: TestApp['call']
}

/**
 * Creates a user through the admin API (POST /api/v1/users) and takes them through their first
 * sign-in: the password the admin set opens nothing else (#9), so they change it to `password`
 * (`<username>-password-1`) with the same token, which stays good.
 */
export async function addUser(t: TestApp, username: string, o: { role?: Role; rights?: Right[] } = {}): Promise<TestUser> {
  const initial = `${username}-initial-1`
  const password = `${username}-password-1`
  const made = await t.call('POST', '/api/v1/users', { username, password: initial, ...o })
  if (made.status !== 201) throw new Error(`users.create: ${made.status} ${JSON.stringify(made.body)}`)
  const token = await signIn(t, username, initial)
  const changed = await callAs(t, token)('POST', '/api/v1/me/password', { oldPassword: initial, newPassword: password })
  if (changed.status !== 200) throw new Error(`session.changePassword: ${changed.status} ${JSON.stringify(changed.body)}`)
  return { username, password, token, call: callAs(t, token) }
}

export async function signIn(t: TestApp, username: string, password: string): Promise<string> {
  const res = await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const body = (await res.json()) as { token?: string }
  if (!body.token) throw new Error(`login of ${username}: ${res.status} ${JSON.stringify(body)}`)
  return body.token
}

export const callAs =
  (t: TestApp, token: string): TestApp['call'] =>
  (method, path, body, headers = {}) =>
    t.call(method, path, body, { authorization: `Bearer ${token}`, ...headers })

