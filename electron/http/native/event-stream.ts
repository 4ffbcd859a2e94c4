// The writing side of a server-sent-events response: framing, keepalive, a bound on what may
// queue up for a reader that does not read, and the set of open streams that shutdown ends.
import type { ServerResponse } from 'node:http'

export interface EventStreamOptions {
  /**
   * Bytes that may wait in the response's buffer for a reader that is not reading. Past this the
   * stream is cut: the client sees it end, reconnects and loads what it missed, and the server's
   * memory stays bounded however many readers stall (100 stalled tabs once held 4 GB).
   */
  maxBufferedBytes?: number
  /** A comment line every so often, so proxies and the browser keep an idle stream open. */
  keepaliveMs?: number
}

const DEFAULTS = { maxBufferedBytes: 1024 * 1024, keepaliveMs: 15_000 }

/** One event goes to every open stream: it is serialized once, not once per reader. */
const frames = new WeakMap<object, string>()

function frameOf(name: string, data: unknown): string {
  if (typeof data !== 'object' || data === null) return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
  let frame = frames.get(data)
  if (frame === undefined || !frame.startsWith(`event: ${name}\n`)) {
    frame = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
    frames.set(data, frame)
  }
  return frame
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

  private write(frame: string): void {
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

/** The open event streams of one server, so that shutdown can end them instead of waiting on them. */
export class EventStreams {
  private readonly open = new Set<EventStream>()

  constructor(private readonly options: EventStreamOptions = {}) {}

  /** Starts an event stream on `res` and keeps it until it closes. */
  start(res: ServerResponse): EventStream {
    const stream = new EventStream(res, this.options)
    this.open.add(stream)
    stream.onClose(() => this.open.delete(stream))
    return stream
  }

  get size(): number {
    return this.open.size
  }

  closeAll(): void {
    for (const s of [...this.open]) s.close()
  }
}
