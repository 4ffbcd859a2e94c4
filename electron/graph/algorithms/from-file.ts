// A snapshot from an uploaded `src,dst[,weight]` file (Explorer's HDFS input): one edge per line,
// ids as written (numbers when every id is an integer), a first line `src,dst[,weight]` taken as
// a header. Read in 1 MiB chunks (a chunk's line strings are garbage once read; those of 4 MiB chunks
// lived long enough to reach V8's old space: 140 MB of it at 8 million edges, against 30 MB). A
// malformed line fails the run naming its line number, and so does the line past the edges or
// distinct ids one run may hold (limits.ts), before their memory is taken.
import { closeSync, openSync, readSync } from 'node:fs'
import { formatCount } from '../../../shared/number-format'
import { graphError } from '../errors'
import type { AlgorithmControl } from './control'
import { buildCsr, EdgeList, type VertexId } from './csr'
import { InputBound, MAX_EDGE_LINE_CHARS, RUN_LIMITS, type RunLimits } from './limits'
import { Snapshot } from './snapshot'

const CHUNK = 1024 * 1024
const INTEGER = /^[+-]?\d{1,15}$/

export interface FileSourceOptions {
  /** The name the client gave (for messages). */
  name: string
  delimiter?: string
  /** The first line is a header; default: only when it reads `src` and `dst`. */
  header?: boolean
  /** Read the third column as each edge's weight (a line without one weighs 1). */
  weighted: boolean
  /** The bounds on edges and distinct ids (default RUN_LIMITS). */
  limits?: RunLimits
}

/**
 * Reads `file` (a resolved path in the upload folder) into a snapshot. Throws file_unreadable naming
 * the line, algorithm_input_too_large (field source.path) naming the line that passed o.limits.
 */
export function snapshotFromFile(file: string, o: FileSourceOptions, ctl: AlgorithmControl): Snapshot {
  const delimiter = o.delimiter ?? ','
  if (delimiter === '' || /[\r\n]/.test(delimiter)) throw graphError('invalid_request', 'delimiter must be a non-empty string without line breaks', { field: 'source.delimiter' })
  const index = new Map<string, number>()
  const names: string[] = []
  const limits = o.limits ?? RUN_LIMITS
  const edges = new EdgeList(o.weighted, limits.edges)
  let lineNo = 0
  const bound = new InputBound(limits, o.name, 'source.path', () => `line ${lineNo}`)
  const idOf = (text: string): number => {
    let i = index.get(text)
    if (i === undefined) {
      bound.vertex()
      i = names.length
      index.set(text, i)
      names.push(text)
    }
    return i
  }
  const take = (line: string) => {
    lineNo++
    if (line.endsWith('\r')) line = line.slice(0, -1)
    if (line.trim() === '' || line.startsWith('#')) return
    const fields = line.split(delimiter).map((f) => f.trim().replace(/^"(.*)"$/, '$1'))
    if (lineNo === 1 && (o.header === true || (o.header === undefined && /^src$/i.test(fields[0]) && /^dst$/i.test(fields[1] ?? '')))) return
    if (fields.length < 2 || fields[0] === '' || fields[1] === '') {
      throw graphError('file_unreadable', `${o.name} line ${lineNo}: expected src${delimiter}dst${o.weighted ? `${delimiter}weight` : ''}, got ${JSON.stringify(line.slice(0, 200))}`, { line: lineNo, field: 'source.path' })
    }
    let w = 1
    if (o.weighted) {
      w = fields.length > 2 && fields[2] !== '' ? Number(fields[2]) : 1
      if (!Number.isFinite(w)) throw graphError('file_unreadable', `${o.name} line ${lineNo}: the weight ${JSON.stringify(fields[2] ?? '')} is not a number`, { line: lineNo, field: 'source.path' })
    }
    bound.edge()
    edges.add(idOf(fields[0]), idOf(fields[1]), w)
    ctl.tick()
  }
  const fd = openSync(file, 'r')
  try {
    const buf = Buffer.alloc(CHUNK)
    let rest = ''
    for (;;) {
      const got = readSync(fd, buf, 0, CHUNK, null)
      if (got === 0) break
      const text = rest + buf.toString('utf8', 0, got)
      const lines = text.split('\n')
      rest = lines.pop()!
      for (const line of lines) take(line)
      if (rest.length > MAX_EDGE_LINE_CHARS) {
        throw graphError('file_unreadable', `${o.name} line ${lineNo + 1}: longer than ${formatCount(MAX_EDGE_LINE_CHARS)} characters; an edge line is src${delimiter}dst[${delimiter}weight]`, { line: lineNo + 1, field: 'source.path' })
      }
    }
    if (rest !== '') take(rest)
  } finally {
    closeSync(fd)
  }
  const numeric = names.every((t) => INTEGER.test(t))
  const ids: VertexId[] = numeric ? names.map(Number) : names
  return new Snapshot(buildCsr(names.length, edges, ids), `file ${o.name}`)
}
