import type { LogLine } from './model'

/**
 * The line a task's log gets when a redo runs it again (the engine's logAttemptStart): `attempt` is the
 * attempt number the redo counts from 1 again, `tryNo` the task's try counting every earlier attempt
 * (1-based). The task panel splits a task's log at these lines into its attempts (taskAttempts).
 */
export const redoAttemptLine = (attempt: number, tryNo: number): string => `── attempt ${attempt} after a redo (try ${tryNo} of this task) ──`

const REDO_ATTEMPT_LINE = /^── attempt \d+ after a redo \(try \d+ of this task\) ──$/

/** One run of a task in its log: its first run (`redo` false), or one a redo started, with its lines (oldest first). */
export interface TaskAttemptLog {
  redo: boolean
  lines: LogLine[]
}

/**
 * `lines` (a task's log, oldest first: its own lines and its sub-tasks') split into the task's runs: a new
 * one at each redoAttemptLine of `task` itself (a sub-task's own separator stays inside its group's run).
 * A log without such a line is one run. When `lines` does not start at the log's start (a tail page), the
 * first run is the tail of whichever run was then going; it is marked a redo when the page starts at a
 * separator only. Never empty: no lines give one run of none.
 */
export function taskAttempts(lines: readonly LogLine[], task: string): TaskAttemptLog[] {
  const runs: TaskAttemptLog[] = [{ redo: false, lines: [] }]
  for (const line of lines) {
    if (line.task === task && REDO_ATTEMPT_LINE.test(line.text)) {
      const last = runs[runs.length - 1]
      if (last.lines.length === 0) last.redo = true // the page (or the log) starts with it: no empty run before it
      else runs.push({ redo: true, lines: [] })
    }
    runs[runs.length - 1].lines.push(line)
  }
  return runs
}
