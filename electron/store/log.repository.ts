import type { LogLine } from '../../shared/model'
import type { LogLevel } from '../../shared/status'
import type { Db } from './connection'

export interface NewLogLine {
  jobId: number
  seq: number
  taskId: number | null
  time: number
  level: LogLevel
  text: string
}

export type LogRepository = ReturnType<typeof createLogRepository>

export function createLogRepository(db: Db) {
  const insert = db.prepare(
    'INSERT INTO log_lines (job_id, seq, task_id, time, level, text) VALUES (@jobId, @seq, @taskId, @time, @level, @text)',
  )
  const page = db.prepare(
    `SELECT l.seq, l.time, l.level, l.text, t.name AS task FROM log_lines l LEFT JOIN tasks t ON t.id = l.task_id
     WHERE l.job_id = @jobId AND l.seq >= @from
       AND (@task IS NULL OR t.name = @task OR t.name LIKE @groups ESCAPE '\\')
     ORDER BY l.seq LIMIT @size`,
  )
  const maxSeq = db.prepare<[number], { m: number | null }>('SELECT max(seq) AS m FROM log_lines WHERE job_id = ?')

  return {
    /** Call inside the caller's transaction: log lines are committed together with the state they explain. */
    append(lines: readonly NewLogLine[]): void {
      for (const l of lines) insert.run({ jobId: l.jobId, seq: l.seq, taskId: l.taskId, time: l.time, level: l.level, text: l.text })
    },
    /** Lines with seq ≥ from (seq starts at 0); `next` is where the following page starts. */
    read(jobId: number, from: number, size: number, task?: string): { lines: LogLine[]; next: number } {
      const groups = task === undefined ? null : `${task.replace(/[\\%_]/g, (c) => `\\${c}`)}\\_%`
      const lines = page.all({ jobId, from, size, task: task ?? null, groups }) as LogLine[]
      return { lines, next: lines.length ? lines[lines.length - 1].seq + 1 : from }
    },
    nextSeq(jobId: number): number {
      const m = maxSeq.get(jobId)?.m
      return m == null ? 0 : m + 1
    },
  }
}
