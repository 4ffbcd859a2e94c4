// atk10: node's HTTP server reads a connection in chunks of up to 64 KB and starts every request a
// chunk holds (HTTP/1.1 pipelining), queueing each answer in memory until the ones before it are
// written; it stops reading only after that. A client that sends 64 KB of `GET /openapi.json`
// (about 1,400 requests of 47 bytes, no account needed) and reads nothing made the server build and
// hold 1,400 answers of 50 KB: 8 such connections held 1.2 GB of heap (measured, load 7), and the
// gate keeps them (connection-limits.ts: requests in flight of an address within its share are never
// displaced, and nothing displaces anything below the cap), so 256 of them hold tens of GB. A
// browser never pipelines; a client that does needs a few requests ahead, not thousands. The main
// thread is held too: 1.7-1.9 s in one turn for one such connection (load 8). Node goes on starting
// the chunk's requests after the connection is destroyed, so what the server must not do is build
// their answers (counted here).
import { connect, type Socket } from 'node:net'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t?.close())

/** How many pipelined requests of one connection the server may take up before that connection's answers are read. */
const AHEAD = 64

it("does not take up a connection's thousand pipelined requests while it reads none of the answers", async () => {
  const port = Number(new URL(t.url).port)
  const socket = await new Promise<Socket>((ok) => {
    const s: Socket = connect(port, '127.0.0.1', () => ok(s))
    s.on('error', () => undefined)
  })
  socket.pause() // reads nothing
  let started = 0
  let answered = 0
  const count = (req: IncomingMessage, res: ServerResponse) => {
    if (req.socket.remotePort !== socket.localPort) return
    started++
    const end = res.end.bind(res) as (...a: unknown[]) => ServerResponse
    res.end = ((...a: unknown[]) => (answered++, end(...a))) as typeof res.end
  }
  t.app.server.server.prependListener('request', count) // before fastify's: its answer may be synchronous
  const one = 'GET /openapi.json HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n'
  const sent = Math.floor(65_536 / one.length)
  try {
    socket.write(one.repeat(sent))
    // node starts every request of the chunk it read, whatever happens to the connection meanwhile
    for (let tries = 0; started < sent; tries++) {
      if (tries > 1000) throw new Error(`node started ${started} of ${sent} requests`)
      await new Promise((r) => setTimeout(r, 10))
    }
    await new Promise((r) => setTimeout(r, 1000)) // the answers the server builds for them
    expect(answered, `answers the server built for ${sent} requests pipelined on a connection that read none`).toBeLessThanOrEqual(AHEAD)
  } finally {
    t.app.server.server.off('request', count)
    socket.destroy()
  }
}, 60_000)
