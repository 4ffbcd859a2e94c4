// #9: a body over a route's limit is refused at once; a client still sending it (curl without
// `Expect: 100-continue`, fetch) must read that answer, not a reset connection ("Send failure:
// Broken pipe"). Over real sockets: inject never sends bytes after the answer.
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(() => t?.close())

/**
 * Sends `head` and then `bodyBytes` bytes in 64 KB writes, each after the last drained (as curl
 * does), and resolves with all it read once the server closes or goes quiet; rejects when a write
 * fails (the connection was reset under the client).
 */
function sendAll(path: string, headers: string[], bodyBytes: number): Promise<string> {
  const { port } = new URL(t.url)
  return new Promise((resolve, reject) => {
    let text = ''
    const socket = connect(Number(port), '127.0.0.1')
    socket.on('data', (d) => (text += d))
    socket.on('error', (e) => reject(Object.assign(e, { answered: text.slice(0, 80) })))
    socket.on('close', () => resolve(text))
    socket.on('connect', async () => {
      socket.write([`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...headers, `Content-Length: ${bodyBytes}`, '', ''].join('\r\n'))
      const chunk = Buffer.alloc(64 * 1024, 'a')
      for (let sent = 0; sent < bodyBytes && !socket.destroyed; sent += chunk.length) {
        if (!socket.write(chunk.subarray(0, Math.min(chunk.length, bodyBytes - sent)))) await new Promise((r) => socket.once('drain', r))
      }
      // the whole body is sent: the answer has come or comes now; then the connection may stay open
      setTimeout(() => socket.end(), 300)
    })
  })
}

describe('a body over the limit', () => {
  it('native: the client that keeps sending reads the 413 envelope, and the server answers the next request', async () => {
    for (let i = 0; i < 3; i++) {
      const answer = await sendAll('/api/v1/login', ['Content-Type: application/json'], 20 * 1024 * 1024)
      const [head, body] = answer.split('\r\n\r\n')
      expect(head).toMatch(/^HTTP\/1\.1 413 /)
      expect(JSON.parse(body)).toEqual({ error: { kind: 'too_large', code: 'too_large', field: 'body', message: expect.any(String) } })
    }
    expect((await t.call('GET', '/api/v1/health')).status).toBe(200)
  })

  it('Explorer (a 1 MB route limit): its own envelope, read in full', async () => {
    const answer = await sendAll('/api-open/v1/connect', ['Content-Type: application/json'], 4 * 1024 * 1024)
    const [head, body] = answer.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 400 /)
    expect(JSON.parse(body)).toMatchObject({ code: 40004000, message: expect.stringMatching(/too large/) })
  })
})
