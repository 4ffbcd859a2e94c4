// openLog answers with a whole log in one reply, so its size is capped in bytes: a log over the cap
// keeps its head and its tail (where a failure shows) with a line saying what was left out and how to
// page through it. (Upstream refuses logs over 30 MB outright, error 80033.) The log is read in small
// pages with a turn of the event loop between them, so a long log never holds the server (#9 §2).

import type { LogLine } from '../../../../shared/model'
import { eachLogPage, LOG_READ_SLICE, type LogRepository } from '../../../store/log.repository'

/**
 * The most log text one openLog reply carries, in bytes. Each line is sent twice (in its level's block
 * and in "all"), so the reply's log holds about twice this: at most ~4 MB.
 */
export const OPEN_LOG_MAX_BYTES = 2 * 1024 * 1024

type Line = Pick<LogLine, 'time' | 'level' | 'text'>
const sizeOf = (l: Line) => Buffer.byteLength(l.text) + 32 // the time stamp and level prefix

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** The job's log lines within `maxBytes` (text plus 32 per line): all of them, or the head and the tail around a note. */
export async function readLogCapped(logs: LogRepository, jobId: number, maxBytes = OPEN_LOG_MAX_BYTES): Promise<Line[]> {
  const budget = maxBytes
  const head: LogLine[] = []
  let bytes = 0
  let gapFrom: number | undefined
  await eachLogPage(logs, jobId, {}, (lines) => {
    for (const l of lines) {
      if (bytes + sizeOf(l) > budget / 2) {
        gapFrom = l.seq
        return false
      }
      head.push(l)
      bytes += sizeOf(l)
    }
  })
  return gapFrom === undefined ? head : withTail(logs, jobId, head, gapFrom, budget)
}

/** Adds the last lines (from `gapFrom` on) that fit in half of `budget`, and a note for those between. */
async function withTail(logs: LogRepository, jobId: number, head: LogLine[], gapFrom: number, budget: number): Promise<Line[]> {
  const pieces: LogLine[][] = []
  let bytes = 0
  let before = logs.nextSeq(jobId)
  collect: while (before > gapFrom) {
    const page = logs.page(jobId, { before, size: LOG_READ_SLICE }).lines.filter((l) => l.seq >= gapFrom)
    if (!page.length) break
    let i = page.length
    while (i > 0 && bytes + sizeOf(page[i - 1]) <= budget / 2) bytes += sizeOf(page[--i])
    pieces.unshift(page.slice(i))
    if (i > 0) break collect
    before = page[0].seq
    await nextTurn()
  }
  const tail = pieces.flat()
  const firstTail = tail[0]?.seq ?? logs.nextSeq(jobId)
  const note: Line = {
    time: Date.now(),
    level: 'WARN',
    text: `… lines ${gapFrom} to ${firstTail - 1} left out: this log is over ${Math.round((budget / 1024 / 1024) * 10) / 10} MB; page through them with entrance/{execID}/log?fromLine=${gapFrom} …`,
  }
  return [...head, note, ...tail]
}
