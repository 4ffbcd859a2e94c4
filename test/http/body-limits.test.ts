// Body limits that fit each route (http/body-limits.ts, #9 review): a status, cancel or login call
// takes a few fields, so a 2 MB body to one is refused before a byte of it is read — from its
// Content-Length, or as a chunked body streams past the limit — in the dialect's own envelope,
// naming the limit; a submit still takes a body of megabytes. Over real sockets: the client sends
// the head (and for chunked, one chunk) and then nothing, so an answer proves nothing was waited for.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BODY_LIMITS } from '../../electron/http/body-limits'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'
import { tugraphClient } from '../tugraph/support'

let t: TestApp
const creds: Record<string, string[]> = {}
beforeAll(async () => {
  t = await startTestApp()
  expect((await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).status).toBe(201) // job 1
  const linkis = linkisClient(t.url)
  await linkis.login()
  const tu = tugraphClient(t.url)
  await tu.login()
  const explorer = await fetch(`${t.url}/api-open/v1/connect`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from('admin:73@TuGraph').toString('base64')}` },
    body: JSON.stringify({ address: '127.0.0.1', port: 9669 }),
  })
  const explorerToken = /explorer_token=([^;]+)/.exec(explorer.headers.get('set-cookie') ?? '')?.[1]
  expect(explorerToken, 'Explorer connect').toBeTruthy()
  creds.native = [`Authorization: Bearer ${t.token}`]
  creds.linkis = [`Cookie: ${linkis.cookie}`]
  creds.tugraph = [`Authorization: ${tu.token}`]
  creds.explorer = [`Cookie: explorer_token=${explorerToken}`]
  creds.rillflow = []
  creds.ges = []
}, 120_000)
afterAll(() => t?.close())

const MB2 = 2 * 1024 * 1024

/**
 * Sends a request's head announcing a 2 MB body (Content-Length, or chunked with one 64 KB chunk
 * sent) and no more of it; resolves with the answer's status and JSON body once the server
 * answers, within 5 s (it would otherwise wait for the body that never comes).
 */
function announce(method: string, path: string, headers: string[], mode: 'length' | 'chunked'): Promise<{ status: number; body: any }> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(Number(port), '127.0.0.1')
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer to ${method} ${path} (${mode}) within 5 s: the server waited for the body`))
    }, 5000)
    const done = () => {
      const at = text.indexOf('\r\n\r\n')
      if (at < 0) return
      const head = text.slice(0, at)
      let body = text.slice(at + 4)
      if (/transfer-encoding: chunked/i.test(head)) body = body.replace(/^[0-9a-f]+\r\n/i, '').replace(/\r\n0\r\n\r\n$/, '')
      const length = /content-length: (\d+)/i.exec(head)
      if (length && Buffer.byteLength(body) < Number(length[1])) return
      try {
        const parsed = JSON.parse(body)
        clearTimeout(timer)
        socket.destroy()
        resolve({ status: Number(head.split(' ')[1]), body: parsed })
      } catch {
        // not all of it yet
      }
    }
    socket.on('data', (d) => {
      text += d
      done()
    })
    socket.on('error', (e) => reject(e))
    socket.on('connect', () => {
      const framing = mode === 'length' ? [`Content-Length: ${MB2}`] : ['Transfer-Encoding: chunked']
      socket.write([`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Content-Type: application/json', ...headers, ...framing, '', ''].join('\r\n'))
      if (mode === 'chunked') {
        for (let i = 0; i < 2; i++) socket.write(`${(64 * 1024).toString(16)}\r\n${'a'.repeat(64 * 1024)}\r\n`) // 128 KB: past the 64 KB limit
      }
    })
  })
}

const SMALL = /64 KiB/

describe('a 2 MB body to a status, cancel or login route', () => {
  it.each(['length', 'chunked'] as const)('is refused before it is read, in each dialect’s envelope, naming the limit (%s)', async (mode) => {
    const native = await announce('POST', '/api/v1/jobs/1/cancel', creds.native, mode)
    expect(native.status).toBe(413)
    expect(native.body).toEqual({ error: { kind: 'too_large', code: 'too_large', field: 'body', message: expect.stringMatching(SMALL) } })

    const linkis = await announce('POST', '/api/rest_j/v1/entrance/1/kill', creds.linkis, mode)
    expect(linkis.status).toBe(413)
    expect(linkis.body).toMatchObject({ status: expect.any(Number), message: expect.stringMatching(SMALL), data: {} })
    expect(linkis.body.status).not.toBe(0)

    const rill = await announce('POST', '/flow/complete_dag.json?execution_id=x', creds.rillflow, mode)
    expect(rill.status).toBe(413)
    expect(rill.body).toMatchObject({ error_code: expect.any(Number), error: expect.stringMatching(SMALL) })

    // TuGraph answers HTTP 200 whatever happened; its errorCode says what
    const tu = await announce('POST', '/LGraphHttpService/Query/import_progress', creds.tugraph, mode)
    expect(tu.body).toEqual({ errorCode: '400', errorMessage: expect.stringMatching(SMALL) })

    const ges = await announce('POST', '/v3/auth/tokens', creds.ges, mode)
    expect(ges.status).toBe(413)
    // the IAM token call's own envelope (Keystone's), as its handler answers
    expect(ges.body).toEqual({ error: { code: 413, title: 'Payload Too Large', message: expect.stringMatching(SMALL) } })

    // Explorer's codes carry their HTTP status (ErrBadRequest 400); it has none for 413
    const explorer = await announce('PUT', '/api-open/v1/jobs/1/cancel', creds.explorer, mode)
    expect(explorer.status).toBe(400)
    expect(explorer.body).toEqual({ code: 40004000, message: expect.stringMatching(/^ErrBadRequest: .*64 KiB/) })

    expect((await t.call('GET', '/api/v1/health')).status).toBe(200)
  })

  it('a caller without credentials still learns nothing but 401', async () => {
    const res = await announce('POST', '/api/v1/jobs/1/cancel', [], 'length')
    expect(res.status).toBe(401)
  })
})

describe('a submit route', () => {
  it('takes a body of a megabyte, and refuses one over its limit naming it', async () => {
    const code = `echo ${'x'.repeat(990_000)} | wc -c` // a script's most (1M characters), far past the small limit
    const ok = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code })
    expect(ok.status, JSON.stringify(ok.body).slice(0, 300)).toBe(201)
    const over = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'x'.repeat(BODY_LIMITS.content) })
    expect(over.status).toBe(413)
    expect(over.body.error).toMatchObject({ kind: 'too_large', field: 'body', message: expect.stringMatching(/POST \/api\/v1\/jobs takes at most 4 MiB/) })
  })
})
