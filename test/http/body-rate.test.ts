// How fast a request's body must arrive (body-rate.ts; #9 §2, atk38a): a body has its time, and each
// so many bytes that arrive give it a second more (Apache mod_reqtimeout's rule). A trickle is
// answered 408 (attack-slow-body.probe.test.ts); here, with a short time, a body that keeps a good
// rate past it is read whole, and a trickle after an early answer has its connection closed.
import { connect } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ connections: { bodyTimeoutMs: 300, bodyMinBytesPerSecond: 1000 } })
}, 60_000)
afterAll(() => t?.close())

/**
 * Sends `head` and then `body` in `pieces` pieces, one every `everyMs`, on a connection of its own;
 * resolves with what came back once the server closed it (or after `withinMs`, with `closed` false).
 */
function send(head: string, body: string, pieces: number, everyMs: number, withinMs: number): Promise<{ answer: string; closed: boolean }> {
  return new Promise((resolve) => {
    let answer = ''
    const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () => socket.write(head))
    const size = Math.ceil(body.length / pieces)
    let sent = 0
    const drip = setInterval(() => {
      if (sent < body.length) socket.write(body.slice(sent, (sent += size)))
    }, everyMs)
    const giveUp = setTimeout(() => finish(false), withinMs)
    const finish = (closed: boolean) => {
      clearInterval(drip)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ answer, closed })
    }
    socket.on('data', (d) => {
      answer += String(d)
      if (answer.includes('"token"')) finish(true) // the sign-in answered: that is all the first case waits for
    })
    socket.on('error', () => undefined)
    socket.once('close', () => finish(true))
  })
}

it('reads a body that keeps the rate past its first time whole', async () => {
  const body = JSON.stringify({ username: DEFAULT_ADMIN.username, password: DEFAULT_ADMIN.password, pad: 'x'.repeat(3000) })
  const head = `POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`
  // about 3,000 bytes a second for a second: three times the 300 ms, and three times the rate
  const { answer } = await send(head, body, 10, 100, 10_000)
  expect(answer).toMatch(/^HTTP\/1\.1 200 /)
})

it('closes the connection of a request answered early whose body then trickles in', async () => {
  // no credentials: answered 401 at once; node then reads the rest of the body to throw it away
  const head = `POST /api/v1/jobs HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n`
  const { answer, closed } = await send(head, 'a'.repeat(100), 100, 200, 10_000)
  expect(answer).toMatch(/^HTTP\/1\.1 401 /)
  expect(closed).toBe(true)
})
