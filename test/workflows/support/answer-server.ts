import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http'
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

/**
 * A local service that only this computer should reach: an answerServer that records each request's
 * path in `hits` (in order) and answers `{"secret": "only for this computer"}`. `first` may answer a
 * request itself (a redirect) and return true; it is recorded all the same.
 */
export function localService(first?: (req: IncomingMessage, res: ServerResponse) => boolean): { readonly port: number; readonly hits: string[] } {
  const hits: string[] = []
  const server = answerServer((req, res) => {
    hits.push(req.url!.split('?')[0])
    if (first?.(req, res)) return
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ secret: 'only for this computer' }))
  })
  return {
    hits,
    get port() {
      return server.port
    },
  }
}
