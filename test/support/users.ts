import type { Right, Role } from '../../shared/model'
import type { TestApp } from './app'

export interface TestUser {
  username: string
  password: string
  token: string
  /** t.call with this user's bearer token instead of the admin's. */
  call: TestApp['call']
}

/** Creates a user through the admin API (POST /api/v1/users) and signs them in. */
export async function addUser(t: TestApp, username: string, o: { role?: Role; rights?: Right[] } = {}): Promise<TestUser> {
  const password = `${username}-password-1`
  const made = await t.call('POST', '/api/v1/users', { username, password, ...o })
  if (made.status !== 201) throw new Error(`users.create: ${made.status} ${JSON.stringify(made.body)}`)
  const token = await signIn(t, username, password)
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

