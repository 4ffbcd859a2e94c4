// atk9b: the page's hashed scripts are looked up under /assets/ at each request (ui9: @fastify/static
// with `wildcard: true`). Routed at start, a file was routed only when the start's glob found it, and
// the glob skips dotfiles (serveDotFiles off); looked up at each request, @fastify/static's `dotfiles`
// defaults to 'allow': an editor's swap file, a .env or a .git left beside the built scripts is now
// answered to anyone, signed in or not. And a raw `..` in the path (a client that does not normalise
// it, as fetch does) is answered 400 `bad_body` "Forbidden" with field `body`, for a GET with no body,
// not the 404 the rest of the static paths answer.
import { request } from 'node:http'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import { uiAppSuite } from '../support/ui-app'

const suite = uiAppSuite({
  'index.html': '<!doctype html><script type="module" src="./assets/index-1.js"></script>',
  'assets/index-1.js': 'console.log(1)',
  'assets/.env': 'SECRET=hunter2',
  'assets/.index-1.js.swp': 'swap',
})
let app: JobDeskApp
beforeAll(() => ({ app } = suite))

/** GET `path` exactly as written (no URL normalisation), with no credentials. */
const rawGet = (path: string): Promise<{ status: number; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(app.url)
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => (body += d))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })

describe('the web UI assets looked up at each request', () => {
  it('serves the built scripts', async () => {
    expect(await rawGet('/assets/index-1.js')).toEqual({ status: 200, body: 'console.log(1)' })
  })

  it('answers a dotfile beside them 404, as the files routed at start do, never its text', async () => {
    for (const path of ['/assets/.env', '/assets/.index-1.js.swp']) {
      const res = await rawGet(path)
      expect(res.status, `${path}: ${res.body}`).toBe(404) // now: 200 SECRET=hunter2, 200 swap
    }
  })

  it('answers a raw escaping path 404 in the native envelope, not 400 bad_body', async () => {
    for (const path of ['/assets/../index.html', '/assets/../../jobdesk.db']) {
      const res = await rawGet(path)
      expect(res.status, `${path}: ${res.body}`).toBe(404) // now: 400 {"error":{"kind":"invalid","code":"bad_body","message":"Forbidden","field":"body"}}
      expect(JSON.parse(res.body).error.code, path).not.toBe('bad_body')
    }
  })
})
