import { afterAll, beforeAll } from 'vitest'
import { startTestApp, type TestApp } from './app'
import { addUser, type TestUser } from './users'

/** An app of a test file (or describe) and the users made in it, by name. */
export interface AppSuite<N extends string> {
  t: TestApp
  users: Record<N, TestUser>
}

/**
 * An in-process test app (startTestApp) for the test file or describe it is called in, with the users
 * `names` made in it in that order (addUser: signed in, their own password chosen): started before its
 * tests (60 s allowed) and closed after. The fields are set once that beforeAll has run: take them in a
 * later beforeAll (`beforeAll(() => ({ t, users: { bob } } = suite))`) or read them in the tests.
 */
export function appSuite<N extends string = never>(...names: N[]): AppSuite<N> {
  return appSuiteWith({}, ...names)
}

/** appSuite of an app started with `options` (startTestApp's: an `authNow` clock, limits). */
export function appSuiteWith<N extends string = never>(options: Parameters<typeof startTestApp>[0], ...names: N[]): AppSuite<N> {
  const suite = { users: {} } as AppSuite<N>
  beforeAll(async () => {
    suite.t = await startTestApp(options)
    for (const name of names) suite.users[name] = await addUser(suite.t, name)
  }, 60_000)
  afterAll(() => suite.t?.close())
  return suite
}
