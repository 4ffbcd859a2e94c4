// Migration 015 (trial of #13.5): each log line keeps the stream it came from, so the log view can
// tell a task's stderr from its stdout. Lines stored before are stdout; answers keep their shape
// for stdout lines (no `stream` key) and say `stream: 'stderr'` on stderr lines.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createLogRepository } from '../../electron/store/log.repository'
import { MIGRATIONS } from '../../electron/store/migrations'
import { tempDir } from '../support/temp-store'
import { oldDatabase } from '../support/old-database'

describe('log line streams (migration 015)', () => {
  it('reads the lines of a database from before as stdout, and stores and reads stderr lines as stderr', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, 14, (old) => {
      old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u1', 'shell', 'old', 'succeeded', 'admin', '{}', 1, 1)`).run()
      old.prepare(`INSERT INTO log_lines (job_id, seq, task_id, time, level, text) VALUES (1, 0, NULL, 5, 'INFO', 'from before')`).run()
    })

    const db = openDatabase(file)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const logs = createLogRepository(db)
    logs.append([
      { jobId: 1, seq: 1, taskId: null, time: 6, level: 'INFO', text: 'on stdout', stream: 'stdout' },
      { jobId: 1, seq: 2, taskId: null, time: 7, level: 'WARN', text: 'warning: on stderr', stream: 'stderr' },
      { jobId: 1, seq: 3, taskId: null, time: 8, level: 'INFO', text: 'plain stderr', stream: 'stderr' },
      { jobId: 1, seq: 4, taskId: null, time: 9, level: 'ERROR', text: 'the engine says', },
    ])
    const expected = [
      { seq: 0, time: 5, level: 'INFO', text: 'from before', task: null },
      { seq: 1, time: 6, level: 'INFO', text: 'on stdout', task: null },
      { seq: 2, time: 7, level: 'WARN', text: 'warning: on stderr', task: null, stream: 'stderr' },
      { seq: 3, time: 8, level: 'INFO', text: 'plain stderr', task: null, stream: 'stderr' },
      { seq: 4, time: 9, level: 'ERROR', text: 'the engine says', task: null },
    ]
    expect(logs.page(1, { from: 0, size: 10 }).lines).toEqual(expected)
    expect(logs.page(1, { tail: true, size: 10 }).lines).toEqual(expected) // read backwards too
    expect(JSON.stringify(logs.page(1, { from: 1, size: 1 }).lines[0])).toBe('{"seq":1,"time":6,"level":"INFO","text":"on stdout","task":null}')
    expect(() => db.prepare(`INSERT INTO log_lines (job_id, seq, time, level, text, stream) VALUES (1, 9, 1, 'INFO', 'x', 'stdin')`).run()).toThrow(/CHECK/)
    db.close()
  })
})
