// openLog answers with a whole log in one reply, so its size is capped in bytes: a log over the cap
// keeps its head and its tail (where a failure shows) with a line saying what was left out and how to
// page through it. (Upstream refuses logs over 30 MB outright, error 80033.) Where the cut goes is
// found first, reading sizes page by page; the answer then streams the kept lines (log-stream.ts).

import { LOG_READ_SLICE, logPages, nextTurn, type LogRepository } from '../../../store/log.repository'
import { jsonEscapedLength } from '../../../json-bytes'
import { visibleLogText } from '../../../../shared/log-text'
import type { Line, LogSource } from './log-stream'

/**
 * The most log text one openLog reply carries, in bytes as sent (JSON-escaped UTF-8), over all of its
 * blocks: a line sent twice (in its level's block and in "all") counts twice, so the reply is about
 * this size whatever the log holds (#9 §2: a NUL log answered 22 MB, then 4 MB with the cap per block).
 */
export const OPEN_LOG_MAX_BYTES = 2 * 1024 * 1024

/**
 * The bytes a line takes in a block of the answer as written: its text as logLineText writes it
 * (visibleLogText: a NUL is `\x00`, then `\\x00` in JSON, five bytes, so a log of control characters
 * cannot answer five times the cap), JSON-escaped in UTF-8, plus 32 for the time stamp, level and escaped newline.
 */
const lineBytes = (l: Line) => jsonEscapedLength(visibleLogText(l.text)) + 32

/**
 * The job's log within `maxBytes` (each line's text as the answer writes it, JSON-escaped, plus 32,
 * times `copies(line)`: the blocks it is written in): all of its lines stored now, or the head
 * and the tail that fit in half of it each, with a note (level WARN) between them. Reads the log
 * page by page to find the cut, keeping no lines: the source reads them again for each block.
 */
export async function capLog(logs: LogRepository, jobId: number, maxBytes = OPEN_LOG_MAX_BYTES, copies: (l: Line) => number = () => 1): Promise<LogSource> {
  const sizeOf = (l: Line) => lineBytes(l) * copies(l)
  const end = logs.nextSeq(jobId)
  let bytes = 0
  let gapFrom: number | undefined
  head: for await (const lines of logPages(logs, jobId, { until: end })) {
    for (const l of lines) {
      bytes += sizeOf(l)
      if (bytes > maxBytes / 2) {
        gapFrom = l.seq
        break head
      }
    }
  }
  if (gapFrom === undefined) return { pages: () => logPages(logs, jobId, { until: end }) }
  const cut = gapFrom
  const firstTail = await tailStart(logs, jobId, cut, end, maxBytes / 2, sizeOf)
  const note: Line = {
    time: Date.now(),
    level: 'WARN',
    text: `… lines ${cut} to ${firstTail - 1} left out: this log is over ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB; page through them with entrance/{execID}/log?fromLine=${cut} …`,
  }
  return {
    async *pages() {
      yield* logPages(logs, jobId, { until: cut })
      yield [note]
      yield* logPages(logs, jobId, { from: firstTail, until: end })
    },
  }
}

/** The seq of the first of the last lines before `end` (and from `gapFrom` on) that fit in `budget`; `end` when none does. */
async function tailStart(logs: LogRepository, jobId: number, gapFrom: number, end: number, budget: number, sizeOf: (l: Line) => number): Promise<number> {
  let bytes = 0
  let first = end
  let before = end
  while (before > gapFrom) {
    const page = logs.page(jobId, { before, size: LOG_READ_SLICE }).lines.filter((l) => l.seq >= gapFrom)
    if (!page.length) break
    for (let i = page.length - 1; i >= 0; i--) {
      if (bytes + sizeOf(page[i]) > budget) return first
      bytes += sizeOf(page[i])
      first = page[i].seq
    }
    before = page[0].seq
    await nextTurn()
  }
  return first
}
