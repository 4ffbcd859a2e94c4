import type { LogLine } from '../../../shared/model'
import { isRedoAttemptLine, REDO_ATTEMPT_MARK } from '../../../shared/task-attempts'
import { send } from '../api/client'

/** Lines of a task's log read at most (its tail page): the Workflows task panel's and the Jobs page's task log. */
export const TASK_LOG_PAGE = 5000

/**
 * A task's log as its attempt picker needs it (TaskAttemptLog): its tail page of at most TASK_LOG_PAGE
 * lines (its own and its sub-tasks', oldest first) and `runsBefore`, null when those lines start at the
 * log's start, else how many of the task's attempts began before them (taskAttempts' argument), read
 * from the task's redo lines before the page. Rejects as jobs.logs does (an ApiError: no such job, not yours).
 */
export async function readTaskLog(jobId: number, task: string): Promise<{ lines: LogLine[]; runsBefore: number | null }> {
  const { lines, total } = await send('jobs.logs', { id: jobId, tail: true, size: TASK_LOG_PAGE, task })
  if (lines.length === 0 || lines.length >= total) return { lines, runsBefore: null }
  // the tail page leaves the log's start out: the task's redo lines before it say which attempt it starts in
  const marks = await send('jobs.logs', { id: jobId, before: lines[0].seq, size: 5000, task, text: REDO_ATTEMPT_MARK })
  return { lines, runsBefore: 1 + marks.lines.filter((l) => isRedoAttemptLine(l, task)).length }
}
