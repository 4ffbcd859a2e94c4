// The writing side of a server-sent-events response: framing, keepalive, a bound on what may
// queue up for a reader that does not read, and the set of open streams that shutdown ends and
// that is bounded per user and in all.
import type { ServerResponse } from 'node:http'
import { EVENTS_PATH } from '../../../shared/api'
import { AppError } from '../../../shared/errors'
import { KeyedCounts } from '../../keyed-counts'

export interface EventStreamOptions {
  /**
   * Bytes that may wait in the response's buffer for a reader that is not reading. Past this the
   * stream is cut: the client sees it end, reconnects and loads what it missed, and the server's
   * memory stays bounded however many readers stall (100 stalled tabs once held 4 GB).
   */
  maxBufferedBytes?: number
  /** A comment line every so often, so proxies and the browser keep an idle stream open. */
  keepaliveMs?: number
  /** Streams one user may hold open at once; a further one is refused (429 `too_many_event_streams`). */
  maxPerUser?: number
  /** Streams all users together may hold open at once; a further one is refused the same way. */
  maxTotal?: number
}

/**
 * Each event is written to every open stream on the main thread: 1,000 streams of one user and a
 * foreach of 70 items of 50 kB held it 1.5 s (#9 §2, atk38a). 16 a user: a browser holds at most 6
 * connections to one host (HTTP/1.1), the web UI one stream a tab; 16 leaves room for a second
 * browser and a script or two. 128 in all: a few users' worth, and a 50 kB event written to all 128
 * costs the main thread a few ms.
 */
export const EVENT_STREAM_LIMITS = { maxPerUser: 16, maxTotal: 128 } as const

/** The stream limits a server may be started with (EVENT_STREAM_LIMITS unless set). */
export type EventStreamLimits = Pick<EventStreamOptions, 'maxPerUser' | 'maxTotal'>

const DEFAULTS = { maxBufferedBytes: 1024 * 1024, keepaliveMs: 15_000 }

/**
 * One event goes to every open stream: it is serialized and encoded once, not once per reader (a
 * string written to each would be measured and encoded to UTF-8 for each: 50 MB of work for a 50 kB
 * event and 1,000 streams).
 */
const frames = new WeakMap<object, { name: string; bytes: Buffer }>()

const encodeFrame = (name: string, data: unknown): Buffer => Buffer.from(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)

function frameOf(name: string, data: unknown): Buffer {
  if (typeof data !== 'object' || data === null) return encodeFrame(name, data)
  let frame = frames.get(data)
  if (frame === undefined || frame.name !== name) {
    frame = { name, bytes: encodeFrame(name, data) }
    frames.set(data, frame)
  }
  return frame.bytes
}

/** One open `text/event-stream` response: `event: <name>\ndata: <json>\n\n` per event. */
export class EventStream {
  private readonly maxBufferedBytes: number
  private readonly keepalive: NodeJS.Timeout
  private readonly closeListeners: (() => void)[] = []
  private ended = false

  constructor(
    private readonly res: ServerResponse,
    options: EventStreamOptions = {},
  ) {
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULTS.maxBufferedBytes
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    })
    this.write(': connected\n\n')
    this.keepalive = setInterval(() => this.write(': keepalive\n\n'), options.keepaliveMs ?? DEFAULTS.keepaliveMs)
    this.keepalive.unref()
    res.on('close', () => this.finish())
    res.on('error', () => this.finish()) // a reset connection ends the stream; nothing else to do
  }

  get closed(): boolean {
    return this.ended
  }

  /** Sends one event; does nothing once the stream is closed. */
  send(name: string, data: unknown): void {
    if (!this.ended) this.write(frameOf(name, data))
  }

  /** Ends the response cleanly (the client's reader sees the end of the stream). */
  close(): void {
    if (this.ended) return
    this.res.end()
    this.finish()
  }

  /** Runs once when the stream ends, whoever ended it (client, slow reader, shutdown). */
  onClose(listener: () => void): void {
    if (this.ended) listener()
    else this.closeListeners.push(listener)
  }

  private write(frame: string | Buffer): void {
    if (this.ended) return
    if (this.res.writableLength > this.maxBufferedBytes) {
      // A reader this far behind is not reading: cut it rather than buffer without end.
      this.res.destroy()
      return this.finish()
    }
    this.res.write(frame)
  }

  private finish(): void {
    if (this.ended) return
    this.ended = true
    clearInterval(this.keepalive)
    for (const l of this.closeListeners.splice(0)) l()
  }
}

/**
 * The open event streams of one server, so that shutdown can end them instead of waiting on them,
 * and so that each user, and all of them together, hold at most so many (EVENT_STREAM_LIMITS).
 */
export class EventStreams {
  private readonly open = new Set<EventStream>()
  private readonly perUser = new KeyedCounts<number>()
  private readonly maxPerUser: number
  private readonly maxTotal: number

  constructor(private readonly options: EventStreamOptions = {}) {
    this.maxPerUser = options.maxPerUser ?? EVENT_STREAM_LIMITS.maxPerUser
    this.maxTotal = options.maxTotal ?? EVENT_STREAM_LIMITS.maxTotal
  }

  /**
   * Throws the refusal of a further stream for user `userId` when they, or all users together, hold
   * as many as they may: 429 `too_many_event_streams` naming the limit. A new stream is refused rather
   * than the oldest closed: the web UI reconnects a closed stream, and closing the oldest would have
   * its tabs close each other in turn; a refused one is tried again, backing off, until one closes.
   * An `admin`'s stream is not held to the total, only to the per-user limit.
   */
  admit(userId: number, admin = false): void {
    const mine = this.perUser.get(userId)
    if (mine >= this.maxPerUser) throw tooMany(`you already have ${mine} event streams open, the most one user may (${this.maxPerUser}): close a tab or a client that follows ${EVENTS_PATH}`)
    // an admin is held to the per-user limit only: users who are not admins filling the total must not
    // leave the admin's web UI without live updates (atk40); admins are few, and each has at most maxPerUser
    if (!admin && this.open.size >= this.maxTotal) throw tooMany(`the server already has ${this.open.size} event streams open, the most it holds (${this.maxTotal}); try again later`)
  }

  /** Starts an event stream of user `userId` on `res` (admitted first: `admit`) and keeps it until it closes. */
  start(res: ServerResponse, userId: number): EventStream {
    const stream = new EventStream(res, this.options)
    this.open.add(stream)
    this.perUser.add(userId)
    stream.onClose(() => {
      this.open.delete(stream)
      this.perUser.remove(userId)
    })
    return stream
  }

  get size(): number {
    return this.open.size
  }

  closeAll(): void {
    for (const s of [...this.open]) s.close()
  }
}

/** How long a refused stream's client is asked to wait before it tries again (Retry-After). */
const RETRY_AFTER_SECONDS = 10

const tooMany = (message: string): AppError => new AppError('rate_limited', 'too_many_event_streams', message, { field: 'stream', retryAfterSeconds: RETRY_AFTER_SECONDS })
