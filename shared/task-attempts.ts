import type { LogLine } from './model'

/**
 * The line a task's log gets when a redo runs it again (the engine's logAttemptStart): `attempt` is the
 * attempt number the redo counts from 1 again, `tryNo` the task's try counting every earlier attempt
 * (1-based). The task panel splits a task's log at these lines into its runs (taskAttempts).
 */
export const redoAttemptLine = (attempt: number, tryNo: number): string => `── attempt ${attempt} after a redo (try ${tryNo} of this task) ──`

/** Text every redoAttemptLine holds: a log search (jobs.logs `text`) for it finds them (and maybe more: check with isRedoAttemptLine). */
export const REDO_ATTEMPT_MARK = 'after a redo (try '

const REDO_ATTEMPT_LINE = /^── attempt \d+ after a redo \(try \d+ of this task\) ──$/

/** Whether `line` is a redoAttemptLine of `task` itself (not of one of its sub-tasks, whose lines a task's log holds too). */
export const isRedoAttemptLine = (line: LogLine, task: string): boolean => line.task === task && REDO_ATTEMPT_LINE.test(line.text)

/**
 * One run of a task in its log: `number` counts its runs from 1 (its first run, then each a redo started);
 * `partial` when the lines shown start inside it (a tail page of a long log), `lines` oldest first.
 */
export interface TaskAttemptLog {
  number: number
  partial: boolean
  lines: LogLine[]
}

/**
 * `lines` (a task's log, oldest first: its own lines and its sub-tasks') split into the task's runs: a new
 * one at each isRedoAttemptLine of `task`. `runsBefore` is null when `lines` start at the log's start (the
 * first run is there, even with no line of its own), else how many of the task's runs began before the
 * first line (its first run and its redo lines there: at least 1): lines before the first redo line then
 * end the latest of those (`partial`). Never empty.
 */
export function taskAttempts(lines: readonly LogLine[], task: string, runsBefore: number | null = null): TaskAttemptLog[] {
  const runs: TaskAttemptLog[] = [{ number: runsBefore ?? 1, partial: runsBefore !== null, lines: [] }]
  for (const line of lines) {
    if (isRedoAttemptLine(line, task)) {
      const last = runs[runs.length - 1]
      // a page that starts at a redo line has no part of the run before it
      if (last.partial && last.lines.length === 0) runs.pop()
      runs.push({ number: last.number + 1, partial: false, lines: [] })
    }
    runs[runs.length - 1].lines.push(line)
  }
  return runs
}
