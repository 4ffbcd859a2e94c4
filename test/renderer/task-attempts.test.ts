// The task panel's attempt picker (#9 UI LOW) splits a task's log at the engine's redo lines.
import { describe, expect, it } from 'vitest'
import type { LogLine } from '../../shared/model'
import { redoAttemptLine, taskAttempts } from '../../shared/task-attempts'

let seq = 0
const line = (task: string | null, text: string): LogLine => ({ seq: seq++, time: 0, level: 'INFO', text, task })
const texts = (runs: ReturnType<typeof taskAttempts>) => runs.map((r) => ({ redo: r.redo, lines: r.lines.map((l) => l.text) }))

describe('taskAttempts', () => {
  it('is one run for a log without a redo line, none included', () => {
    expect(texts(taskAttempts([], 'each'))).toEqual([{ redo: false, lines: [] }])
    expect(texts(taskAttempts([line('each', 'a'), line('each', 'b')], 'each'))).toEqual([{ redo: false, lines: ['a', 'b'] }])
  })

  it('starts a run at each redo line of the task itself; a sub-task’s own stays in its group’s run', () => {
    const log = [
      line('each', 'first'),
      line('each_0-work', 'item failed'),
      line('each', redoAttemptLine(1, 2)),
      line('each_0-work', redoAttemptLine(1, 2)), // the sub-task's redo, inside the group's second run
      line('each_0-work', 'item ok'),
      line('other', redoAttemptLine(1, 3)), // another task's line (as a page filtered by task never has)
      line('each', redoAttemptLine(1, 3)),
    ]
    expect(texts(taskAttempts(log, 'each'))).toEqual([
      { redo: false, lines: ['first', 'item failed'] },
      { redo: true, lines: [redoAttemptLine(1, 2), redoAttemptLine(1, 2), 'item ok', redoAttemptLine(1, 3)] },
      { redo: true, lines: [redoAttemptLine(1, 3)] },
    ])
  })

  it('a page that starts at a redo line makes no empty run before it', () => {
    expect(texts(taskAttempts([line('t', redoAttemptLine(2, 4)), line('t', 'x')], 't'))).toEqual([{ redo: true, lines: [redoAttemptLine(2, 4), 'x'] }])
  })
})
