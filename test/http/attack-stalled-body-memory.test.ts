// atk9 (#9 §2, conn8): the body-rate rule (body-rate.ts) gives a body 20 s and then one second more
// per 500 bytes that came, counted from the start. A body sent fast and then stopped just short of
// its Content-Length earns the whole allowance at once: a 4 MB submit that stops one byte short may
// wait 20 s + 8,389 s (2.3 h) for its last byte, and a 16 MB upload chunk 9.3 h, while fastify
// holds what came in memory. One signed-in user (no right needed: /flow/submit.json) held 100 such
// bodies, ~390 MB more RSS, with no answer and no traffic after the burst (30 s watched); 30 upload
// chunks (POST /api/v1/files/upload, any user) stopped 1 byte short of 16 MB held 480 MB. 512
// connections are ~2 GB of submits, or ~8 GB of upload chunks, held for hours by one user. A body that stops sending should be ended after the rule's
// time of silence, whatever it sent before.
import { connect } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  // the rule with a short time: 300 ms, then 1 s more per 1,000 bytes of body
  t = await startTestApp({ connections: { bodyTimeoutMs: 300, bodyMinBytesPerSecond: 1000 } })
}, 60_000)
afterAll(() => t?.close())

it('ends a body that came fast and then stopped one byte short, after its time of silence', async () => {
  const length = 60_000 // under the sign-in's 64 kB limit: an allowance of 0.3 s + 60 s as the rule counts
  const body = `{"username":"nobody","password":"${'x'.repeat(length - 36)}"}`.slice(0, length)
  const head = `POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n\r\n`
  const answer = await new Promise<string>((resolve) => {
    let got = ''
    // the head first, then (once the request has started) the body at once but its last byte
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => {
      socket.write(head)
      setTimeout(() => socket.write(body.slice(0, length - 1)), 100)
    })
    const giveUp = setTimeout(() => {
      socket.destroy()
      resolve(got)
    }, 5_000)
    socket.on('data', (d) => {
      got += String(d)
      if (got.includes('\r\n\r\n')) {
        clearTimeout(giveUp)
        socket.destroy()
        resolve(got)
      }
    })
    socket.on('error', () => undefined)
  })
  // 5 s of silence after the burst is over 16 times the rule's 300 ms
  expect(answer, 'no answer 5 s after the body stopped').toMatch(/^HTTP\/1\.1 408 /)
}, 30_000)
