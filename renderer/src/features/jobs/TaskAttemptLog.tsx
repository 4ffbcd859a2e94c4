import { useState } from 'react'
import type { LogLine } from '../../../../shared/model'
import { taskAttempts, type TaskAttemptLog as Attempt } from '../../../../shared/task-attempts'
import { LogTail } from './LogTail'

/**
 * A task's log, one attempt at a time when a redo ran it more than once (the Workflows task panel and
 * the Jobs page's opened task): a picker ("attempt 2 of 3 (redo)") shows one attempt's lines, the latest
 * by default (and it follows new attempts until another is picked), as Airflow's task log has a tab per
 * try. `lines` are the task's log (readTaskLog's tail page, and lines pushed since), `runsBefore` as
 * readTaskLog gives it; `ended` once the task has ended. Numbers as shared/task-attempts.ts does, as the
 * header and the invoke history do. `Heading` is its title's element (h4 under a Jobs page task's Input and
 * Output). Mount it keyed by the task, so that another task starts at its latest.
 */
export function TaskAttemptLog({ task, lines, runsBefore, ended, Heading = 'h3' }: { task: string; lines: LogLine[]; runsBefore: number | null; ended: boolean; Heading?: 'h3' | 'h4' }) {
  const runs = taskAttempts(lines, task, runsBefore)
  // the attempt picked, by its number; null: the latest, whichever it is as new ones begin
  const [picked, setPicked] = useState<number | null>(null)
  const latest = runs[runs.length - 1]
  const shown = runs.find((r) => r.number === picked) ?? latest
  const label = (r: Attempt) => {
    const notes = [r.number > 1 && 'redo', r === latest && 'latest', r.partial && 'earlier lines not loaded'].filter(Boolean)
    return `attempt ${r.number} of ${latest.number}${notes.length ? ` (${notes.join(', ')})` : ''}`
  }
  return (
    <>
      <div className="task-log-head">
        <Heading>Log</Heading>
        {latest.number > 1 && (
          <select aria-label="attempt to show" value={shown.number} onChange={(e) => setPicked(Number(e.target.value) === latest.number ? null : Number(e.target.value))}>
            {runs.map((r) => (
              <option key={r.number} value={r.number}>
                {label(r)}
              </option>
            ))}
          </select>
        )}
      </div>
      {/* an earlier attempt has ended whatever the task does now */}
      <LogTail lines={shown.lines} ended={ended || shown !== latest} />
    </>
  )
}
