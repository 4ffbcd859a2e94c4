// How many requests of one connection the app takes up ahead of their answers being written (HTTP/1.1
// pipelining). Node's server reads a connection in chunks of up to 64 KB and emits every request a
// chunk holds, queueing each answer in memory until the ones before it are written; it stops reading
// only after that chunk. A client that sent 64 KB of `GET /openapi.json` (about 1,400 requests, no
// account needed) and read nothing had the server build and hold 1,400 answers of 50 KB: 8 such
// connections held 1.2 GB of heap, and the main thread 1.7-1.9 s in one turn for one (atk10).
// A browser never pipelines; a client that does needs a few requests ahead, not thousands.
// So once PIPELINED_AHEAD requests of a connection await their answers' writing, its further requests
// are not handed to the app (node emits every one of the chunk, even after the connection is closed:
// they are let go unanswered), the connection reads no more, the last answer taken up says
// `Connection: close` when its head is not yet written, and the connection is closed once the
// answers taken up are written, which frees node's records of the rest. A client retries pipelined
// requests a closed connection left unanswered (RFC 9112 §9.3.2). Answers taken up that the client
// leaves unread hold its place until the gate lets it go (displacement.ts).

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'

/** Requests of one connection the app takes up whose answers are not yet written (handed to the kernel), at most (ConnectionLimits.pipelinedAhead). */
export const PIPELINED_AHEAD = 64

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void

/** One connection's requests taken up. */
interface Line {
  /** Taken up, answer not yet written (its response not yet closed). */
  ahead: number
  /** The latest taken up: its answer is the last this connection gets once `over`. */
  last: ServerResponse | undefined
  /** Past the bound: takes up nothing more, closes once `ahead` is 0. */
  over: boolean
  /** The chunk that went past the bound has been parsed: a further request means node read on. */
  chunkParsed: boolean
}

/**
 * Bounds `server`'s pipelining to `ahead` requests a connection (≥ 1; module header): the server's
 * "request" listeners at the time of the call (fastify's handler: call it before any other is added)
 * are called only for requests taken up; listeners added later see every request.
 */
export function boundPipelining(server: Server, ahead = PIPELINED_AHEAD): void {
  const handlers = server.listeners('request') as RequestListener[]
  for (const h of handlers) server.off('request', h)
  const lines = new WeakMap<Socket, Line>()
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket
    let line = lines.get(socket)
    if (!line) lines.set(socket, (line = { ahead: 0, last: undefined, over: false, chunkParsed: false }))
    if (line.over || line.ahead >= ahead) return letGo(socket, line)
    const taken = line
    taken.ahead++
    taken.last = res
    res.once('close', () => {
      if (--taken.ahead === 0 && taken.over && !socket.destroyed) socket.destroySoon()
    })
    for (const h of handlers) h.call(server, req, res)
  })
}

/** A request past the bound: not taken up; the first stops the connection's reading and makes it close after its answers. */
function letGo(socket: Socket, line: Line): void {
  if (line.over) {
    // node parsed another chunk after all (it resumes reading as answers drain): no more of those
    if (line.chunkParsed) socket.destroy()
    return
  }
  line.over = true
  if (line.last && !line.last.headersSent) line.last.shouldKeepAlive = false
  socket.pause()
  setImmediate(() => void (line.chunkParsed = true))
}
