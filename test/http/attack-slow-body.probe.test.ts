// A body that never ends (#9 §2, atk38a): a client without credentials sends a sign-in's headers
// with `Content-Length: 60000` and then one byte every 5 s. A connection that sends nothing is cut
// after node's 60 s headers timeout, but a request whose body trickles in is never cut (fastify's
// requestTimeout is 0): it held its connection and its buffered body 150 s and more, and with no cap
// on connections (attack-idle-connections.probe.test.ts) thousands of them hold memory and the
// process's files for as long as the client likes. The server must end such a request (408 or a
// closed connection): body-rate.ts answers 408 once the body's time is up (20 s, and a second more for
// every 500 bytes that came: Apache mod_reqtimeout's rule), here with the time set to 2 s.
import { connect } from 'node:net'
import { expect, it } from 'vitest'
import { LINGER_MAX_MS } from '../../electron/http/linger'
import { servedProcessSuite } from '../support/served-process'

/** The body rule's time before a body's rate counts (body-rate.ts; 20 s by default), short here so the test takes seconds. */
const BODY_TIMEOUT_MS = 2_000
const app = servedProcessSuite({ timeoutMs: 120_000, options: { connections: { bodyTimeoutMs: BODY_TIMEOUT_MS } } })

it('ends a sign-in whose body trickles in (a byte every 500 ms) with 408 once its time is up, then closes it', async () => {
  const { hostname, port } = new URL(app.url)
  const started = Date.now()
  let answeredAfterMs = Infinity
  const ended = await new Promise<{ afterMs: number; answer: string }>((resolve) => {
    let answer = ''
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/v1/login HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"username":"`)
    })
    const drip = setInterval(() => socket.write('a'), 500)
    const giveUp = setTimeout(() => socket.destroy(), 60_000)
    socket.on('data', (d) => {
      answeredAfterMs = Math.min(answeredAfterMs, Date.now() - started)
      answer += String(d)
    })
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearInterval(drip)
      clearTimeout(giveUp)
      resolve({ afterMs: Date.now() - started, answer })
    })
  })
  console.log(`a trickling body was answered after ${answeredAfterMs} ms and closed after ${ended.afterMs} ms: ${JSON.stringify(ended.answer.split('\r\n\r\n')[1])}`)
  expect(ended.answer).toMatch(/^HTTP\/1\.1 408 /)
  expect(ended.answer).toContain('"code":"request_timeout"')
  // the time, a few bytes' worth more (500 bytes a second), and the rule's check: well within 5 s
  expect(answeredAfterMs).toBeLessThan(BODY_TIMEOUT_MS + 3_000)
  expect(ended.afterMs).toBeLessThan(BODY_TIMEOUT_MS + LINGER_MAX_MS + 5_000) // the rest of the body is read and thrown away for a while (linger.ts)
  expect(app.child.exitCode).toBe(null)
}, 120_000)
