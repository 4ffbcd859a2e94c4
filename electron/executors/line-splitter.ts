import { takeTurn } from './turns'

/** Turns a byte stream into lines; a line longer than `maxLine` is cut so one runaway line cannot eat memory. */
export class LineSplitter {
  private partial = ''

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLine = 64 * 1024,
  ) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString()
    const parts = text.split(/\r?\n/)
    this.partial = parts.pop() ?? ''
    for (const p of parts) this.emit(p)
    while (this.partial.length > this.maxLine) {
      this.emit(this.partial.slice(0, this.maxLine))
      this.partial = this.partial.slice(this.maxLine)
    }
  }

  end(): void {
    if (this.partial) this.emit(this.partial)
    this.partial = ''
  }
}

/**
 * Feeds a stream's chunks to a splitter, one chunk of all such streams per turn of the event
 * loop. Node reads a pipe many chunks at a time; scripts flooding stdout would otherwise have
 * megabytes split and logged before anything else (a status request) gets its turn.
 */
export function feedLines(stream: NodeJS.ReadableStream, splitter: LineSplitter): void {
  stream.on('data', (chunk: Buffer | string) => {
    splitter.push(chunk)
    stream.pause()
    takeTurn(() => stream.resume())
  })
}
