// Linkis log answers (entrance/{id}/log, filesystem/openLog) carry a log as four strings, its error,
// warn and info lines and all of them ([error, warn, info, all]). They are streamed: each block is
// written as its lines are read, one page at a time, the log being read once per block (#9 §2).

import type { LogLine } from '../../../../shared/model'
import type { LogLevel } from '../../../../shared/status'
import { logPages, type LogRepository } from '../../../store/log.repository'
import { StreamedString } from '../../json-stream'
import { logLineText } from './mappers'

export type Line = Pick<LogLine, 'time' | 'level' | 'text'>

/** The lines of a log answer, readable once per block: each `pages()` yields the same lines in order. */
export interface LogSource {
  pages(): AsyncIterable<Line[]>
}

/** A block of the 4-element log: 0 error, 1 warn, 2 info, 3 all. */
export type LogBlock = 0 | 1 | 2 | 3
const BLOCK_OF: Record<LogLevel, LogBlock> = { ERROR: 0, WARN: 1, INFO: 2 }

/** A block of the log as Linkis words it: each line `2023-04-13 08:35:41.035 INFO text` and a newline; '' when it has none. */
export function logBlock(source: LogSource, block: LogBlock): StreamedString {
  return new StreamedString(async function* () {
    for await (const lines of source.pages()) {
      let text = ''
      for (const l of lines) if (block === 3 || BLOCK_OF[l.level] === block) text += `${logLineText(l)}\n`
      yield text
    }
  })
}

/** How many of the `filled` blocks a line of `level` is written in: its level's and "all" (0, 1 or 2). */
export function copiesOf(level: LogLevel, filled: ReadonlySet<LogBlock>): number {
  return (filled.has(BLOCK_OF[level]) ? 1 : 0) + (filled.has(3) ? 1 : 0)
}

/** Linkis's 4-element log [error, warn, info, all]; a block not in `filled` is '' (openLog's logLevel). */
export function logBlocks(source: LogSource, filled: ReadonlySet<LogBlock> = new Set([0, 1, 2, 3])): (StreamedString | '')[] {
  return ([0, 1, 2, 3] as const).map((b) => (filled.has(b) ? logBlock(source, b) : ''))
}

/**
 * `size` lines of a job's log from seq `from` (entrance/{id}/log's fromLine and size). The first read
 * takes `size` lines and fixes where the window ends, so every later read (the other blocks) reads
 * the same lines even while the job still writes its log; `next()` is the seq after the window.
 */
export function logWindow(logs: LogRepository, jobId: number, from: number, size: number): LogSource & { next(): number } {
  let until: number | undefined
  let next = from
  return {
    async *pages() {
      const first = until === undefined
      for await (const lines of logPages(logs, jobId, first ? { from, max: size } : { from, until })) {
        if (first) next = lines[lines.length - 1].seq + 1
        yield lines
      }
      if (first) until = next
    },
    next: () => next,
  }
}
