// Raw connections to a started test app, for tests of its connection gate (connection-limits.ts):
// fetch's own keep-alive connections would take places of their own, and a test must choose what
// each connection sends and when.
import { connect, type Socket } from 'node:net'
import type { TestApp } from './app'

export interface RawConnections {
  /** Opens a connection as a client would (errors are the server closing it: expected here). */
  open(): Promise<Socket>
  /** How many connections the server holds (node's count: a displaced one until it has closed). */
  count(): Promise<number>
  /** Resolves once the server holds `n` connections; rejects naming `what` if it does not within 5 s. */
  holding(n: number, what: string): Promise<void>
}

/** RawConnections to `t`'s server. */
export function rawConnections(t: TestApp): RawConnections {
  const port = Number(new URL(t.url).port)
  const count = (): Promise<number> => new Promise((ok) => t.app.server.server.getConnections((_e, n) => ok(n)))
  return {
    open: () =>
      new Promise((ok) => {
        const s = connect(port, '127.0.0.1', () => ok(s))
        s.on('error', () => undefined)
      }),
    count,
    async holding(n, what) {
      for (let tries = 0; (await count()) !== n; tries++) {
        if (tries > 500) throw new Error(`${what}: the server holds ${await count()} connections, not ${n}`)
        await new Promise((r) => setTimeout(r, 10))
      }
    },
  }
}

/** Writes `request` (a head, and any body) on `socket` and resolves with the first bytes of the answer, as text ('' if it closed without one). */
export const ask = (socket: Socket, request: string): Promise<string> =>
  new Promise((ok) => {
    const closed = () => ok('')
    socket.once('close', closed)
    socket.once('data', (d) => {
      socket.off('close', closed)
      ok(String(d))
    })
    socket.write(request)
  })

/** The answer's status line. */
export const statusLine = (answer: string): string => answer.split('\r\n')[0]!

/** A keep-alive GET of `path` as the holder of bearer `token` (none: no credential at all). */
export const get = (path: string, token?: string): string =>
  `GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n${token ? `authorization: Bearer ${token}\r\n` : ''}\r\n`
