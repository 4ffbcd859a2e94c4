// An event stream's bound on what may queue for a reader that does not read (#9.2), on a real
// HTTP server and socket: past the bound the stream is cut, a reading client is never cut.
import { createServer, type Server } from 'node:http'
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { EventStream } from '../../electron/http/native/event-stream'

let server: Server | undefined
const sockets: Socket[] = []
afterEach(async () => {
  sockets.splice(0).forEach((s) => s.destroy())
  await new Promise((r) => server?.close(r) ?? r(undefined))
  server = undefined
})

/** A server whose one route opens an EventStream with a 64 KiB bound; resolves with it once a client asks. */
async function streamFor(client: (port: number) => Socket): Promise<{ stream: EventStream; socket: Socket }> {
  let opened!: (s: EventStream) => void
  const streamOpened = new Promise<EventStream>((r) => (opened = r))
  server = createServer((_req, res) => opened(new EventStream(res, { maxBufferedBytes: 64 * 1024 })))
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  const socket = client((server.address() as AddressInfo).port)
  sockets.push(socket)
  return { stream: await streamOpened, socket }
}

const request = (port: number): Socket => {
  const s = connect(port, '127.0.0.1')
  s.write(`GET /events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`)
  return s
}

/** Sends ~100 KB events until the stream closes or `total` bytes went out, yielding to I/O between them. */
async function flood(stream: EventStream, total: number): Promise<number> {
  const payload = { line: 'y'.repeat(100_000) }
  let sent = 0
  while (!stream.closed && sent < total) {
    stream.send('log', { ...payload })
    sent += 100_000
    await new Promise((r) => setImmediate(r))
  }
  return sent
}

describe('event stream bound', () => {
  it('cuts a stream whose reader stopped reading, instead of queueing without end', async () => {
    const { stream, socket } = await streamFor((port) => {
      const s = request(port)
      s.pause() // never reads: the kernel buffers fill, then the response's own buffer
      return s
    })
    let closedBy = ''
    stream.onClose(() => (closedBy = 'stream'))
    const sent = await flood(stream, 500_000_000)
    expect(stream.closed).toBe(true)
    expect(closedBy).toBe('stream')
    expect(sent).toBeLessThan(500_000_000) // cut long before the flood ended
    socket.destroy()
  })

  it('keeps a stream whose reader keeps up, however much goes through it', async () => {
    let received = 0
    const { stream } = await streamFor((port) => {
      const s = request(port)
      s.on('data', (c: Buffer) => (received += c.length))
      return s
    })
    const sent = await flood(stream, 30_000_000)
    expect(stream.closed).toBe(false)
    await new Promise((r) => setTimeout(r, 200))
    expect(received).toBeGreaterThan(sent * 0.9)
    stream.close()
  })
})
