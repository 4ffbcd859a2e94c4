// Event streams whose readers stop reading (#9.2): 100 of them once held 4 GB. Each may now
// queue a bounded amount (past it the stream is cut), and the server's memory stays put.
import { readFileSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { describe, expect, it } from 'vitest'
import { probeWhile, servedProcessSuite } from '../support/served-process'

const served = servedProcessSuite({ start: false })

const rssMb = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024

/** A client that asks for the event stream and then never reads from it. */
async function stalledReader(port: number, token: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await new Promise((r) => socket.once('connect', r))
  socket.write(`GET /api/v1/events HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\nauthorization: Bearer ${token}\r\n\r\n`)
  socket.pause()
  return socket
}

describe('event streams with readers that do not read', () => {
  it('100 stalled streams do not grow the server without bound, and the probe still answers', async () => {
    await served.start()
    const { url, token } = served
    const pid = served.child.pid!
    const port = Number(new URL(url).port)
    const sockets = await Promise.all(Array.from({ length: Number(process.env.STALLED_STREAMS ?? 100) }, () => stalledReader(port, token)))
    const before = rssMb(pid)

    // Eight jobs each print more than a log keeps: ~45 MB of events for every stream.
    const code = "head -c 6000000 /dev/zero | tr '\\\\0' y | fold -w 200"
    const { probe } = await probeWhile(served, async () => {
      const ids = await Promise.all(
        Array.from({ length: 8 }, async () => {
          const res = await fetch(`${url}/api/v1/jobs`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ type: 'script', language: 'shell', code }),
          })
          return ((await res.json()) as { id: number }).id
        }),
      )
      for (const id of ids) {
        for (;;) {
          const job = (await (await fetch(`${url}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as { status: string }
          if (job.status === 'succeeded') break
          await new Promise((r) => setTimeout(r, 200))
        }
      }
    })
    const after = rssMb(pid)
    console.log(`100 stalled streams: RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB; probe max ${probe.maxMs.toFixed(0)} ms over ${probe.count}`)
    expect(after - before).toBeLessThan(300)
    expect(probe.failures).toEqual([])

    // What waited for each stalled reader stayed bounded: reading now gets at most the bound (plus
    // the kernel's socket buffers), then the stream's end if it was cut (the cut itself is proven
    // in event-stream.test.ts; log lines are gathered, so a stream may stay under the bound). Read
    // until the stream ends, or is quiet for 500 ms (all that waited has come: a server still
    // flushing an unbounded queue sends on without a pause), or for 3 s at most.
    const received = await Promise.all(
      sockets.slice(0, 5).map(
        (s) =>
          new Promise<number>((ok) => {
            let bytes = 0
            const done = () => {
              clearTimeout(quiet)
              clearTimeout(most)
              ok(bytes)
            }
            let quiet = setTimeout(done, 500)
            const most = setTimeout(done, 3_000)
            s.on('data', (c: Buffer) => {
              bytes += c.length
              clearTimeout(quiet)
              quiet = setTimeout(done, 500)
            })
            s.once('close', done)
            s.resume()
          }),
      ),
    )
    for (const bytes of received) expect(bytes).toBeLessThan(20_000_000)
    sockets.forEach((s) => s.destroy())
  }, 120_000)
})
