// Pipelined requests (pipelining.ts): a client that pipelines within the bound gets every answer on a
// connection that stays open; one past it gets the answers of the requests taken up, the last saying
// Connection: close, and the connection is closed (node's records of the rest freed). The attack:
// attack-pipelined-unread-answers.test.ts.
import type { Socket } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { PIPELINED_AHEAD } from '../../electron/http/pipelining'
import { startTestApp, type TestApp } from '../support/app'
import { rawConnections, type RawConnections } from '../support/raw-connections'

let t: TestApp
let c: RawConnections
beforeAll(async () => {
  t = await startTestApp()
  c = rawConnections(t)
}, 60_000)
afterAll(() => t?.close())

/** Sends `n` pipelined health requests at once on `socket`; resolves with the heads of the answers read within `ms`, and whether it closed. */
function pipeline(socket: Socket, n: number, ms: number): Promise<{ heads: string[]; closed: boolean }> {
  return new Promise((ok) => {
    let text = ''
    let closed = false
    socket.on('data', (d) => (text += String(d)))
    socket.once('close', () => (closed = true))
    socket.write(`GET /api/v1/health HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${t.token}\r\n\r\n`.repeat(n))
    const done = () => ok({ heads: text.split('HTTP/1.1 ').slice(1).map((a) => a.slice(0, a.indexOf('\r\n\r\n')).toLowerCase()), closed })
    socket.once('close', done)
    setTimeout(done, ms)
  })
}

it(`answers ${PIPELINED_AHEAD} pipelined requests on a connection that stays open`, async () => {
  const socket = await c.open()
  const { heads, closed } = await pipeline(socket, PIPELINED_AHEAD, 2000)
  expect([heads.length, closed]).toEqual([PIPELINED_AHEAD, false])
  expect(heads.filter((h) => h.startsWith('200') && h.includes('connection: keep-alive'))).toHaveLength(PIPELINED_AHEAD)
  socket.destroy()
  await c.holding(0, 'the connection closed')
})

it(`answers the first ${PIPELINED_AHEAD} of 1,000 pipelined requests, the last with Connection: close, and closes the connection`, async () => {
  const socket = await c.open()
  const { heads, closed } = await pipeline(socket, 1000, 10_000)
  expect([heads.length, closed]).toEqual([PIPELINED_AHEAD, true])
  expect(heads.slice(0, -1).filter((h) => h.startsWith('200') && h.includes('connection: keep-alive'))).toHaveLength(PIPELINED_AHEAD - 1)
  expect(heads.at(-1)).toMatch(/^200 ok[\s\S]*connection: close/)
  await c.holding(0, 'the connection closed')
})
