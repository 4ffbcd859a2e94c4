import { afterAll, beforeAll } from 'vitest'
import { setTransport } from '../../renderer/src/api/client'
import { createHttpTransport } from '../../renderer/src/api/http'
import { appSuite, type AppSuite } from './app-suite'

/**
 * appSuite for renderer code: the test file's stores and API calls go to its app as the admin, over
 * the HTTP transport as in a browser tab; the transport is unset after the file's tests.
 */
export function rendererAppSuite(): AppSuite<never> {
  const suite = appSuite()
  beforeAll(() => setTransport(createHttpTransport(suite.t.url, suite.t.token, () => undefined)))
  afterAll(() => setTransport(null))
  return suite
}
