// The task panel's attempt picker (#9 UI LOW) splits a task's log at the engine's redo lines.
import { describe, expect, it } from 'vitest'
import type { LogLine } from '../../shared/model'
import { attemptWithTriesText, droppedTriesText, historyAttemptNumbers, isRedoAttemptLine, isRedoTry, REDO_ATTEMPT_MARK, redoAttemptLine, taskAttemptNumber, taskAttempts } from '../../shared/task-attempts'

let seq = 0
const line = (task: string | null, text: string): LogLine => ({ seq: seq++, time: 0, level: 'INFO', text, task })
const texts = (runs: ReturnType<typeof taskAttempts>) => runs.map((r) => ({ number: r.number, partial: r.partial, lines: r.lines.map((l) => l.text) }))

describe('taskAttempts', () => {
  it('is one run for a log without a redo line, none included', () => {
    expect(texts(taskAttempts([], 'each'))).toEqual([{ number: 1, partial: false, lines: [] }])
    expect(texts(taskAttempts([line('each', 'a'), line('each', 'b')], 'each'))).toEqual([{ number: 1, partial: false, lines: ['a', 'b'] }])
  })

  it('starts a run at each redo line of the task itself; a sub-task’s own stays in its group’s run', () => {
    const log = [
      line('each', 'first'),
      line('each_0-work', 'item failed'),
      line('each', redoAttemptLine(2)),
      line('each_0-work', redoAttemptLine(2)), // the sub-task's redo, inside the group's second run
      line('each_0-work', 'item ok'),
      line('other', redoAttemptLine(3)), // another task's line (as a page filtered by task never has)
      line('each', redoAttemptLine(3)),
    ]
    expect(texts(taskAttempts(log, 'each'))).toEqual([
      { number: 1, partial: false, lines: ['first', 'item failed'] },
      { number: 2, partial: false, lines: [redoAttemptLine(2), redoAttemptLine(2), 'item ok', redoAttemptLine(3)] },
      { number: 3, partial: false, lines: [redoAttemptLine(3)] },
    ])
  })

  it('keeps a first run that wrote nothing, when the lines start at the log’s start', () => {
    expect(texts(taskAttempts([line('t', redoAttemptLine(2)), line('t', 'x')], 't'))).toEqual([
      { number: 1, partial: false, lines: [] },
      { number: 2, partial: false, lines: [redoAttemptLine(2), 'x'] },
    ])
  })

  it('numbers a tail page’s runs after those begun before it, the first one partial', () => {
    expect(texts(taskAttempts([line('t', 'end of 2'), line('t', redoAttemptLine(3)), line('t', 'y')], 't', 2))).toEqual([
      { number: 2, partial: true, lines: ['end of 2'] },
      { number: 3, partial: false, lines: [redoAttemptLine(3), 'y'] },
    ])
    // a page that starts at a redo line has nothing of the run before
    expect(texts(taskAttempts([line('t', redoAttemptLine(4)), line('t', 'x')], 't', 3))).toEqual([{ number: 4, partial: false, lines: [redoAttemptLine(4), 'x'] }])
  })
})

// One numbering of a task's attempts (#9 LOW "attempts after redo"): after 3 redos the header said
// "Attempt 1" and the invoke history "1, 1 (redo), …" while the picker said "attempt 4 of 4".
describe('the attempt numbers of a task', () => {
  const tries = (...t: number[]) => t.map((attempt, i) => ({ attempt, startedAt: i * 10 }))

  it('counts a redo’s run as the next attempt; a retry keeps its attempt’s number', () => {
    expect(historyAttemptNumbers([])).toEqual([])
    expect(historyAttemptNumbers(tries(1, 1, 1, 1))).toEqual([1, 2, 3, 4])
    // first run retried twice, then a redo that retried once
    expect(historyAttemptNumbers(tries(1, 2, 3, 1, 2))).toEqual([1, 1, 1, 2, 2])
  })

  it('gives the task’s current attempt: ended, waiting for a retry, retrying, or started again by a redo', () => {
    const history = tries(1, 1, 1, 1)
    expect(taskAttemptNumber({ attempt: 1, startedAt: 30, attempts: history })).toBe(4) // ended: its last try
    expect(taskAttemptNumber({ attempt: 2, startedAt: 99, attempts: history })).toBe(4) // a retry of the 4th
    expect(taskAttemptNumber({ attempt: 1, startedAt: 99, attempts: history })).toBe(5) // a 4th redo runs
    expect(taskAttemptNumber({ attempt: 0, startedAt: null, attempts: history })).toBe(4) // reset, not started yet
    expect(taskAttemptNumber({ attempt: 0, startedAt: null, attempts: [] })).toBe(0) // never ran
    expect(taskAttemptNumber({ attempt: 1, startedAt: 5, attempts: [] })).toBe(1) // its first run runs
  })

  it('numbers the log’s picker as the history: a redo line says the attempt it starts', () => {
    const log = [line('t', 'one'), line('t', redoAttemptLine(2)), line('t', redoAttemptLine(3)), line('t', redoAttemptLine(4))]
    const runs = taskAttempts(log, 't')
    expect(runs.map((r) => r.number)).toEqual(historyAttemptNumbers(tries(1, 1, 1, 1)))
    // it said "attempt 2 after a redo (try 4 of this task)": tries counted unlike "try 1 of attempt 2" elsewhere
    expect(runs.map((r) => r.lines[0].text)).toEqual(['one', ...[2, 3, 4].map((n) => `── attempt ${n} (a redo) ──`)])
  })

  it('splits logs written before at their redo lines too, and finds both forms by REDO_ATTEMPT_MARK', () => {
    const old = (n: number, tryNo: number) => `── attempt ${n} after a redo (try ${tryNo} of this task) ──`
    const log = [line('t', 'one'), line('t', old(2, 4)), line('t', 'two'), line('t', old(3, 51)), line('t', redoAttemptLine(4)), line('t', 'four')]
    expect(texts(taskAttempts(log, 't'))).toEqual([
      { number: 1, partial: false, lines: ['one'] },
      { number: 2, partial: false, lines: [old(2, 4), 'two'] },
      { number: 3, partial: false, lines: [old(3, 51)] },
      { number: 4, partial: false, lines: [redoAttemptLine(4), 'four'] },
    ])
    expect(log.filter((l) => l.text.includes(REDO_ATTEMPT_MARK) && isRedoAttemptLine(l, 't')).map((l) => l.seq)).toEqual([log[1].seq, log[3].seq, log[4].seq])
    // a line that only looks like one stays in its run
    expect(isRedoAttemptLine(line('t', '── attempt 2 (a redo) ── and more'), 't')).toBe(false)
  })
})

describe('attemptWithTriesText', () => {
  it('gives the tries of an engine retry policy with their bound, a workflow’s own retries without one', () => {
    expect(attemptWithTriesText(0, 0, 3)).toBe('—')
    expect(attemptWithTriesText(4, 1, 1)).toBe('4')
    expect(attemptWithTriesText(2, 3, 3)).toBe('2, try 3 of 3')
    expect(attemptWithTriesText(1, 3, 1)).toBe('1, try 3') // a Rill Flow retry.maxRetryTimes: maxAttempts stays 1
  })
})

// #9 last check: once the oldest of the 50 kept tries were dropped, the first kept row read "2", not "2 (redo)",
// and nothing said attempt 1's tries were no longer listed while the log's picker offered "attempt 1 of 3".
describe('the invoke history’s oldest kept row', () => {
  it('is marked a redo from its own numbers', () => {
    expect([isRedoTry({ attempt: 2, try: 1 }), isRedoTry({ attempt: 1, try: 1 }), isRedoTry({ attempt: 2, try: 2 })]).toEqual([true, false, false])
  })

  it('says which tries are not kept above it', () => {
    expect(droppedTriesText({ attempt: 1, try: 1 })).toBeNull()
    expect(droppedTriesText({ attempt: 2, try: 1 })).toBe('Tries of attempt 1 not kept (the history keeps a task’s last 50 tries)')
    expect(droppedTriesText({ attempt: 1, try: 2 })).toBe('Try 1 of attempt 1 not kept (the history keeps a task’s last 50 tries)')
    expect(droppedTriesText({ attempt: 3, try: 4 })).toBe('Tries of attempts 1–2 and tries 1–3 of attempt 3 not kept (the history keeps a task’s last 50 tries)')
  })
})
