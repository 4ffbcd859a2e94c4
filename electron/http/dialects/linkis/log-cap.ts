// openLog answers with a whole log in one reply, so its size is capped in bytes: a log over the cap
// keeps its head and its tail (where a failure shows) with a line saying what was left out and how to
// page through it. (Upstream refuses logs over 30 MB outright, error 80033.)

import type { LogLine } from '../../../../shared/model'
import type { LogRepository } from '../../../store/log.repository'

/** The most log text one openLog reply carries (each line is sent twice: in its level's block and in "all"). */
export const OPEN_LOG_MAX_BYTES = 4 * 1024 * 1024
const PAGE = 2000

type Line = Pick<LogLine, 'time' | 'level' | 'text'>
const sizeOf = (l: Line) => Buffer.byteLength(l.text) + 32 // the time stamp and level prefix

/** The job's log lines within `maxBytes`: all of them, or the head and the tail around a note. */
export function readLogCapped(logs: LogRepository, jobId: number, maxBytes = OPEN_LOG_MAX_BYTES): Line[] {
  const head: LogLine[] = []
  let bytes = 0
  let from = 0
  for (;;) {
    const page = logs.read(jobId, from, PAGE)
    for (const l of page.lines) {
      if (bytes + sizeOf(l) > maxBytes / 2) return withTail(logs, jobId, head, l.seq, maxBytes)
      head.push(l)
      bytes += sizeOf(l)
    }
    if (page.lines.length < PAGE) return head
    from = page.next
  }
}

/** Adds the last lines (from `gapFrom` on) that fit in half of `maxBytes`, and a note for those between. */
function withTail(logs: LogRepository, jobId: number, head: LogLine[], gapFrom: number, maxBytes: number): Line[] {
  const budget = maxBytes / 2
  const tail: LogLine[] = []
  let bytes = 0
  let end = logs.nextSeq(jobId)
  collect: while (end > gapFrom) {
    const start = Math.max(gapFrom, end - PAGE)
    const page = logs.read(jobId, start, end - start).lines.filter((l) => l.seq < end)
    for (let i = page.length - 1; i >= 0; i--) {
      if (bytes + sizeOf(page[i]) > budget) break collect
      tail.unshift(page[i])
      bytes += sizeOf(page[i])
    }
    end = start
  }
  const firstTail = tail[0]?.seq ?? logs.nextSeq(jobId)
  const note: Line = {
    time: Date.now(),
    level: 'WARN',
    text: `… lines ${gapFrom} to ${firstTail - 1} left out: this log is over ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB; page through them with entrance/{execID}/log?fromLine=${gapFrom} …`,
  }
  return [...head, note, ...tail]
}
