// Should a node upgrade stop handing bodies on through the request's push (body-rate.ts onBodyBytes
// wraps it; node-internals.test.ts fails first), the body rule must not end every body after its
// first 20 s: once a body has ended unseen it times bodies by their socket's bytes (body10). Here
// node's change is stood in for by a request push that cannot be wrapped (an assignment to it is
// dropped), with a body time of 1 s: a sign-in that keeps a good rate for 2.5 s is read whole.
import { IncomingMessage } from 'node:http'
import { connect } from 'node:net'
import { Readable } from 'node:stream'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  Object.defineProperty(IncomingMessage.prototype, 'push', { configurable: true, get: () => Readable.prototype.push, set: () => undefined })
  t = await startTestApp({ connections: { bodyTimeoutMs: 1_000, bodyMinBytesPerSecond: 500 } })
}, 60_000)
afterAll(async () => {
  delete (IncomingMessage.prototype as { push?: unknown }).push
  await t?.close()
})

const signIn = JSON.stringify({ username: DEFAULT_ADMIN.username, password: DEFAULT_ADMIN.password, pad: 'x'.repeat(2_400) })

it('reads whole a body that keeps the rate past its time, though its push could not be wrapped', async () => {
  // a body read whole shows that push was not seen
  expect((await fetch(`${t.url}/api/v1/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: signIn })).status).toBe(200)
  // 2,500 bytes in 250-byte pieces every 250 ms: 1,000 bytes a second, twice the rate, for 2.5 s
  let answer = ''
  const socket = connect(Number(new URL(t.url).port), '127.0.0.1', () =>
    socket.write(`POST /api/v1/login HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: ${signIn.length}\r\n\r\n`),
  )
  socket.on('data', (d) => void (answer += String(d)))
  socket.on('error', () => undefined)
  for (let sent = 0; sent < signIn.length; sent += 250) {
    await new Promise((r) => setTimeout(r, 250))
    socket.write(signIn.slice(sent, sent + 250))
  }
  await expect.poll(() => answer.split('\r\n')[0], { timeout: 5_000 }).toMatch(/^HTTP\/1\.1 200 /)
  socket.destroy()
}, 30_000)
