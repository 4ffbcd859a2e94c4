// A body that never ends (#9 §2, atk38a): a client without credentials sends a sign-in's headers
// with `Content-Length: 60000` and then one byte every 5 s. A connection that sends nothing is cut
// after node's 60 s headers timeout, but a request whose body trickles in is never cut (fastify's
// requestTimeout is 0): it held its connection and its buffered body 150 s and more, and with no cap
// on connections (attack-idle-connections.probe.test.ts) thousands of them hold memory and the
// process's files for as long as the client likes. The server must end such a request (408 or a
// closed connection) within two minutes.
import { connect } from 'node:net'
import { expect, it } from 'vitest'
import { servedProcessSuite } from '../support/served-process'

const app = servedProcessSuite({ timeoutMs: 120_000 })

/** How long the server may let a request's body trickle in before it ends the request. */
const LIMIT_MS = 120_000

it('ends a sign-in whose body trickles in a byte every 5 s within two minutes', async () => {
  const { hostname, port } = new URL(app.url)
  const started = Date.now()
  const ended = await new Promise<{ afterMs: number; answer: string }>((resolve) => {
    let answer = ''
    const socket = connect(Number(port), hostname, () => {
      socket.write(`POST /api/v1/login HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{"username":"`)
    })
    const drip = setInterval(() => socket.write('a'), 5_000)
    const giveUp = setTimeout(() => socket.destroy(), LIMIT_MS + 15_000)
    socket.on('data', (d) => (answer += String(d)))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearInterval(drip)
      clearTimeout(giveUp)
      resolve({ afterMs: Date.now() - started, answer: answer.slice(0, 200) })
    })
  })
  console.log(`a trickling body was ended after ${Math.round(ended.afterMs / 1000)} s: ${JSON.stringify(ended.answer)}`)
  expect(ended.afterMs).toBeLessThan(LIMIT_MS)
  expect(app.child.exitCode).toBe(null)
}, 180_000)
