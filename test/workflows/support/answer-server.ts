import { createServer, type RequestListener } from 'node:http'
import { afterAll, beforeAll } from 'vitest'

/**
 * A local HTTP server for the test file it is called in, answering each request with `handler`: what
 * a function task's resourceName calls. Listens on a free port of 127.0.0.1 before the file's tests
 * (`port`, 0 until then) and is closed after them.
 */
export function answerServer(handler: RequestListener): { readonly port: number } {
  const server = createServer(handler)
  let port = 0
  beforeAll(async () => {
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    port = (server.address() as { port: number }).port
  })
  afterAll(() => server.close())
  return {
    get port() {
      return port
    },
  }
}
