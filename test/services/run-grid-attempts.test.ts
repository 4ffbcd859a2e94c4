// The run grid sums its cells in SQL (services/run-grid.ts), so it numbers a task's attempt with
// ATTEMPT_NUMBER_SQL, shared/task-attempts.ts taskAttemptNumber written in SQL: the two must agree on every
// stored history (with and without each entry's kept `number`, redone, retried, reset, never run).
import Database from 'better-sqlite3'
import { expect, it } from 'vitest'
import { ATTEMPT_NUMBER_SQL } from '../../electron/services/run-grid'
import { taskAttemptNumber } from '../../shared/task-attempts'
import type { StoredTaskTry } from '../../shared/model'

type Try = Pick<StoredTaskTry, 'attempt' | 'number' | 'startedAt'>

it('ATTEMPT_NUMBER_SQL gives taskAttemptNumber over 3,000 random stored tasks', () => {
  const db = new Database(':memory:')
  db.exec('CREATE TABLE tasks (id INTEGER PRIMARY KEY, attempt INTEGER NOT NULL, started_at INTEGER, attempts TEXT NOT NULL)')
  const insert = db.prepare('INSERT INTO tasks (attempt, started_at, attempts) VALUES (?, ?, ?)')
  let seed = 5
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648
    return Math.floor((seed / 2147483648) * n)
  }
  const tasks: { attempt: number; startedAt: number | null; attempts: Try[] }[] = []
  for (let i = 0; i < 3000; i++) {
    // a history of attempts of a few tries each, as the engine stores it (tries from 1 after each redo)
    const history: Try[] = []
    const keepNumbers = rand(2) === 0
    let clock = 1000
    for (let attempt = 1, attempts = rand(4); attempt <= attempts; attempt++) {
      for (let tryNo = 1, tries = 1 + rand(3); tryNo <= tries; tryNo++) history.push({ attempt: tryNo, startedAt: (clock += 10), ...(keepNumbers ? { number: attempt } : {}) })
    }
    const last = history.at(-1)
    const now = rand(4)
    // the task now: the last try's (ended), a retry's next try, a redo's first try, or reset before it starts
    const task =
      !last || now === 0
        ? { attempt: last ? last.attempt : rand(2), startedAt: last ? last.startedAt : null }
        : now === 1
          ? { attempt: last.attempt + 1, startedAt: clock + 10 }
          : now === 2
            ? { attempt: 1, startedAt: clock + 10 }
            : { attempt: 0, startedAt: null }
    const kept = history.slice(rand(3)) // the oldest tries dropped, as the engine keeps only the last 50
    tasks.push({ ...task, attempts: kept })
    insert.run(task.attempt, task.startedAt, JSON.stringify(kept))
  }
  const got = db.prepare<[], { n: number }>(`SELECT ${ATTEMPT_NUMBER_SQL} AS n FROM tasks t ORDER BY id`).all().map((r) => r.n)
  expect(got).toEqual(tasks.map((task) => taskAttemptNumber(task)))
  db.close()
})
