import type { LogLine, StoredTaskTry, TaskAttempt } from './model'

// One numbering of a task's attempts, shown alike by the task panel's header, its invoke history, its
// log's attempt picker and the log line a redo writes: attempt 1 is the task's first run, and each redo
// that runs it again is the next attempt. Tries its retry policy makes inside one attempt keep its
// number (the stored `attempt` of a task and of its history entries counts those tries, from 1 again
// after each redo: it is the try within the attempt, never the attempt's number). What is served (the
// native API, the pages, events) carries the attempt's number as `attempt` and the try as `try`
// (servedAttempts), so a reader never sees the stored try counter under the attempt's name.

/**
 * The attempt number of each entry of a task's stored invoke history (`history` oldest first, as
 * TaskRecord `attempts`): the entry's stored `number`, and for an entry stored without one (before it was
 * kept) the number derived from the tries: a new attempt begins at the first entry and at each entry whose
 * try (`attempt`) does not follow the one before it (a redo counted tries from 1 again). Entries of old data
 * past the engine's last 50 were dropped: their numbers count from the oldest entry kept.
 */
export function historyAttemptNumbers(history: readonly Pick<StoredTaskTry, 'attempt' | 'number'>[]): number[] {
  const numbers: number[] = []
  history.forEach((a, i) => numbers.push(a.number ?? (i === 0 ? 1 : numbers[i - 1] + (a.attempt <= history[i - 1].attempt ? 1 : 0))))
  return numbers
}

/** A stored task's attempt fields (TaskRecord's): `attempt` and each history entry's count tries. */
export interface StoredAttempts<T extends Pick<StoredTaskTry, 'attempt' | 'number' | 'startedAt'> = StoredTaskTry> {
  attempt: number
  startedAt: number | null
  attempts: readonly T[]
}

/**
 * The attempt number of a task now (the header's "Attempt"): that of its last history entry while it is
 * that entry's try (ended, or waiting for a retry: same try and start time), the next one when a redo has
 * started it again (its try counts from 1 again), the same one when a retry runs; 0 for a task that never
 * ran, and for one a redo reset that has not started yet, its history's last number.
 */
export function taskAttemptNumber(task: StoredAttempts<Pick<StoredTaskTry, 'attempt' | 'number' | 'startedAt'>>): number {
  const numbers = historyAttemptNumbers(task.attempts)
  const last = task.attempts[task.attempts.length - 1]
  if (!last) return task.attempt > 0 ? 1 : 0
  const lastNumber = numbers[numbers.length - 1]
  if (task.attempt === 0 || (task.attempt === last.attempt && task.startedAt === last.startedAt)) return lastNumber
  return task.attempt > last.attempt ? lastNumber : lastNumber + 1
}

/**
 * A stored task's attempt fields as they are served (TaskView, ExecutionTask): `attempt` its attempt's
 * number now (taskAttemptNumber; 0 before it runs), `try` the try within it (the stored counter), and its
 * invoke history with each entry's attempt number (historyAttemptNumbers) and try.
 */
export function servedAttempts(task: StoredAttempts): { attempt: number; try: number; attempts: TaskAttempt[] } {
  const numbers = historyAttemptNumbers(task.attempts)
  return {
    attempt: taskAttemptNumber(task),
    try: task.attempt,
    attempts: task.attempts.map(({ attempt, number: _stored, ...rest }, i) => ({ ...rest, attempt: numbers[i], try: attempt })),
  }
}

/** How many tries of a task its invoke history keeps (the engine's recordAttempt drops older ones). */
export const KEPT_TRIES = 50

/**
 * Whether a served history entry is the first try of an attempt a redo started (attempt 2 on): from its own
 * numbers, so the oldest entry kept is marked too, with no entry before it to compare with.
 */
export const isRedoTry = (entry: Pick<TaskAttempt, 'attempt' | 'try'>): boolean => entry.attempt > 1 && entry.try === 1

/**
 * What a served invoke history no longer lists, from its oldest entry kept (`first`): null when that is the
 * task's first try (nothing was dropped), else "Tries of attempt 1 not kept", "Tries of attempts 1–2 and
 * tries 1–3 of attempt 3 not kept", "Try 1 of attempt 1 not kept"…, with why (the last KEPT_TRIES are kept).
 * How many tries those were is not stored: the words name the attempts and tries instead.
 */
export function droppedTriesText(first: Pick<TaskAttempt, 'attempt' | 'try'>): string | null {
  const parts: string[] = []
  const whole = first.attempt - 1 // attempts before the first kept entry's, none of their tries kept
  if (whole === 1) parts.push('tries of attempt 1')
  else if (whole > 1) parts.push(`tries of attempts 1–${whole}`)
  const before = first.try - 1 // tries of the first kept entry's attempt before it
  if (before === 1) parts.push(`try 1 of attempt ${first.attempt}`)
  else if (before > 1) parts.push(`tries 1–${before} of attempt ${first.attempt}`)
  if (parts.length === 0) return null
  const text = parts.join(' and ')
  return `${text[0].toUpperCase()}${text.slice(1)} not kept (the history keeps a task’s last ${KEPT_TRIES} tries)`
}

/**
 * A served attempt (TaskView/TaskAttempt `attempt` and `try`) as the pages write it: "4", or "4, try 2"
 * for a retry within the attempt; "—" before the task runs (attempt 0).
 */
export const attemptText = (attempt: number, tryNo: number): string => (attempt === 0 ? '—' : tryNo > 1 ? `${attempt}, try ${tryNo}` : String(attempt))

/**
 * A served attempt with its tries as the Jobs page writes it: "4"; "4, try 2 of 3" for a task whose
 * engine retry policy allows 3 tries (`maxAttempts`); "1, try 3" for a retry by a policy the engine
 * does not count, as a Rill Flow task's `retry.maxRetryTimes` (its maxAttempts is 1, so the tries are
 * shown without a bound); "—" before the task runs.
 */
export const attemptWithTriesText = (attempt: number, tryNo: number, maxAttempts: number): string =>
  attempt === 0 ? '—' : maxAttempts > 1 ? `${attempt}, try ${tryNo} of ${maxAttempts}` : attemptText(attempt, tryNo)

/**
 * The line a task's log gets when a redo runs it again (the engine's logAttemptStart): "── attempt 2 (a
 * redo) ──", `attempt` the attempt number it starts (taskAttemptNumber: 2 for the first redo). It opens that
 * attempt's first try; the tries after it say "try N of attempt M" (retryLine), as every view counts them.
 * The task panel splits a task's log at these lines into its attempts (taskAttempts).
 */
export const redoAttemptLine = (attempt: number): string => `── attempt ${attempt} (a redo) ──`

/**
 * The line a task's log gets when a try fails and its retry policy runs it again: "try 2 of attempt 1
 * failed: <rest>". `tryNo` is the try within the attempt (the stored `attempt`, 1-based), `attempt` the
 * attempt's number (taskAttemptNumber); both always, the first attempt's too.
 */
export const retryLine = (tryNo: number, attempt: number, rest: string): string => `try ${tryNo} of attempt ${attempt} failed: ${rest}`

/**
 * The line a task's log gets when a task that may retry (a retry policy allows it more than one try, or it
 * was retried) fails for good: "try 3 of attempt 1 failed: <error>; no tries left", worded as its retries'
 * lines (retryLine); "; not retried" when tries were left but the failure is not one to retry (`triesLeft`).
 * A task that may not retry keeps "task <name> failed: <error>".
 */
export const lastTryLine = (tryNo: number, attempt: number, error: string, triesLeft: boolean): string =>
  retryLine(tryNo, attempt, `${error}; ${triesLeft ? 'not retried' : 'no tries left'}`)

/**
 * Text every redoAttemptLine holds, those logs written before it said "attempt 2 (a redo)" too ("── attempt 2
 * after a redo (try 4 of this task) ──"): a log search (jobs.logs `text`) for it finds them (and maybe more:
 * check with isRedoAttemptLine).
 */
export const REDO_ATTEMPT_MARK = '── attempt '

// the line now, and as logs written before worded it (they still split into attempts)
const REDO_ATTEMPT_LINE = /^── attempt \d+ (?:\(a redo\)|after a redo \(try \d+ of this task\)) ──$/

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
