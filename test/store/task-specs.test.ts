// Migration 019 (#9): a large task spec lives in task_specs, written once at submit, so a status
// change (which rewrites the tasks row) does not rewrite a script's code of hundreds of kB. A
// database from before keeps every spec.
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createJobRepository, TASK_SPEC_INLINE_MAX, type NewTask } from '../../electron/store/job.repository'
import { MIGRATIONS } from '../../electron/store/migrations'
import { partsParsedCount, PARSED_PARTS_MAX_CHARS } from '../../electron/store/jobs/job-parts'
import { storedSpecChars } from '../support/stored-specs'
import { tempDir, tempStore } from '../support/temp-store'
import { oldDatabase } from '../support/old-database'
import { sweepAll } from '../support/row-sweeps'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  cleanup = undefined
})

/** SQL code of about `bytes` characters: what a large script job holds in its task's spec. */
const bigCode = (bytes: number): string => 'SELECT id, name FROM orders WHERE amount > 100;\n'.repeat(Math.ceil(bytes / 48)).slice(0, bytes)

describe('task specs (migration 019)', () => {
  it('moves the specs of existing tasks out of their rows; every read that runs or reruns a task gets them back whole', () => {
    const file = join(tempDir(), 'old.db')
    const code = bigCode(200_000)
    oldDatabase(file, 16, (old) => {
      old.prepare(`INSERT INTO jobs (uuid, kind, name, status, submitter, labels, created_at, updated_at) VALUES ('u1', 'script', 'big', 'running', 'admin', '{}', 1, 1)`).run()
      const insert = old.prepare(`INSERT INTO tasks (job_id, name, executor, status, depends_on, spec) VALUES (1, ?, ?, ?, ?, ?)`)
      insert.run('main', 'sql', 'running', '[]', JSON.stringify({ code, language: 'sql', user: 'admin' }))
      insert.run('after', 'noop', 'pending', '["main"]', '{}')
      insert.run('each_0-leaf_0', 'noop', 'pending', '[]', '{"route":"each_0","def":{"name":"leaf"}}')
    })

    const db = openDatabase(file)
    const jobs = createJobRepository(db)
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length)
    const [main, after, leaf] = jobs.tasks(1)
    expect(main.spec).toEqual({ code, language: 'sql', user: 'admin' })
    expect(after.spec).toEqual({})
    expect(leaf.spec).toEqual({ route: 'each_0', def: { name: 'leaf' } })
    expect(jobs.task(1, 'main')?.spec.code).toBe(code)
    expect(jobs.someTasks(1, { names: ['main'] })[0].spec.code).toBe(code)
    expect(jobs.someTasks(1, { prefix: 'each_0-' }).map((t) => t.spec)).toEqual([leaf.spec])
    // no row holds a large spec any more (a small one stays: TASK_SPEC_INLINE_MAX)
    expect(db.prepare(`SELECT count(*) AS n FROM tasks WHERE length(spec) > ?`).get(TASK_SPEC_INLINE_MAX)).toEqual({ n: 0 })
    expect(db.prepare('SELECT task_id FROM task_specs').all()).toEqual([{ task_id: main.id }])
    db.close()
  })

  it('keeps a spec through status changes and restarts, rewrites none of it on a status change, and drops it with its job', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const code = bigCode(720 * 1024)
    const spec = { code, language: 'sql', user: 'admin' }
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'script', name: 'big', submitter: 'admin' }, [{ name: 'main', executor: 'sql', spec }])
    const [task] = t.store.jobs.tasks(id)

    // what a status change writes: measured as the growth of the write-ahead log, checkpoints held off
    t.store.db.pragma('wal_autocheckpoint = 0')
    const wal = `${t.file}-wal`
    const before = statSync(wal).size
    for (const status of ['running', 'succeeded'] as const) {
      t.store.transaction(() => t.store.jobs.saveTask({ ...task, status, attempt: 1, startedAt: 1, finishedAt: status === 'succeeded' ? 2 : null }))
    }
    // a few pages (4 kB each) per commit, where each used to rewrite the 720 kB of code
    expect(statSync(wal).size - before).toBeLessThan(64 * 1024)

    const again = t.reopen()
    expect(again.jobs.tasks(id)[0]).toMatchObject({ status: 'succeeded', attempt: 1, spec })
    expect(again.jobs.tasksWithoutSpec(id)[0]).toMatchObject({ status: 'succeeded', spec: {} })
    again.jobs.delete(id)
    sweepAll(again.db) // its rows go after the delete (row-sweeper.ts)
    expect(again.db.prepare('SELECT count(*) AS n FROM task_specs').get()).toEqual({ n: 0 })
  })
  it("stores a script's code once: a spec whose code is its job's input's code is read back whole from the input", () => {
    const t = tempStore()
    cleanup = t.cleanup
    const code = bigCode(720 * 1024)
    const spec = { code, language: 'sql', user: 'admin', noAdmin: true }
    const input = { language: 'sql', code }
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'script', name: 'big', submitter: 'admin', input, inputJson: JSON.stringify(input) }, [{ name: 'main', executor: 'sql', spec }])
    // a variable substituted: the spec's code is not the input's, and is kept as it is
    const other = { code: `${code}-- 2026-12-01\n`, language: 'sql', user: 'admin' }
    const id2 = t.store.jobs.create({ uuid: 'u2', kind: 'script', name: 'vars', submitter: 'admin', input }, [{ name: 'main', executor: 'sql', spec: other }])
    const stored = (job: number) =>
      (t.store.db.prepare(`SELECT (SELECT sum(octet_length(value)) FROM job_values WHERE job_id = ?) + (SELECT sum(octet_length(s.spec)) FROM task_specs s JOIN tasks k ON k.id = s.task_id WHERE k.job_id = ?) AS n`).get(job, job) as { n: number }).n
    const once = JSON.stringify(code).length // its JSON: newlines escaped
    expect(stored(id)).toBeLessThan(once * 1.01) // once, not twice (1.5 MB)
    expect(stored(id2)).toBeGreaterThan(once * 2)

    for (const store of [t.store, t.reopen()]) {
      expect(store.jobs.tasks(id)[0].spec).toEqual(spec)
      expect(Object.keys(store.jobs.tasks(id)[0].spec)).toEqual(Object.keys(spec)) // in its order, as written
      expect(store.jobs.task(id, 'main')?.spec).toEqual(spec)
      expect(store.jobs.someTasks(id, { names: ['main'] })[0].spec).toEqual(spec)
      expect(store.jobs.tasks(id2)[0].spec).toEqual(other)
      expect(JSON.parse(store.jobs.stateText(id, 'input')!)).toEqual(input)
    }
  })
})

describe('spec parts (migration 027)', () => {
  /** A definition of about `chars` JSON characters, as a foreach's sub-tasks share one. */
  const bigDef = (chars: number) => ({ name: 'P', category: 'pass', outputMappings: [{ source: JSON.stringify({ text: 'x'.repeat(chars) }), target: '$.context.x' }] })
  const subTasks = (def: object, from: number, n: number): NewTask[] =>
    Array.from({ length: n }, (_, k) => ({ name: `each_${from + k}-P`, executor: 'rillflow.control', spec: { def, route: `each_${from + k}`, executionId: 'e1' } }))

  it("stores a definition its job's tasks share once, over several inserts, and reads it back in its place, shared by the tasks of a read", () => {
    const t = tempStore()
    cleanup = t.cleanup
    const def = bigDef(100_000)
    const defChars = JSON.stringify(def).length
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'workflow', name: 'wide', submitter: 'admin' }, [{ name: 'each', executor: 'rillflow.control', spec: { def: { name: 'each' }, route: null } }])
    const other = t.store.jobs.create({ uuid: 'u2', kind: 'workflow', name: 'wide', submitter: 'admin' }, [])
    // three inserts (a foreach's batches), and a second job with the same definition object
    for (const from of [0, 25, 50]) t.store.transaction(() => t.store.jobs.addTasks(id, subTasks(def, from, 25)))
    t.store.transaction(() => t.store.jobs.addTasks(other, subTasks(def, 0, 5)))
    expect(t.store.db.prepare('SELECT job_id, count(*) AS n FROM task_spec_parts GROUP BY job_id ORDER BY job_id').all()).toEqual([
      { job_id: id, n: 1 },
      { job_id: other, n: 1 },
    ])
    expect(storedSpecChars(t.store.db, id)).toBeLessThan(defChars + 75 * 100) // once, and ~70 characters a task (75 copies were 7.5 MB)
    expect(t.store.db.prepare('SELECT count(*) AS n FROM task_specs').get()).toEqual({ n: 0 }) // what is left of each spec fits its row

    for (const store of [t.store, t.reopen()]) {
      const tasks = store.jobs.tasks(id).slice(1)
      expect(tasks).toHaveLength(75)
      expect(tasks[0].spec).toEqual({ def, route: 'each_0', executionId: 'e1' })
      expect(Object.keys(tasks[0].spec)).toEqual(['def', 'route', 'executionId']) // in its order, as written
      expect(tasks.every((task) => task.spec.def === tasks[0].spec.def)).toBe(true) // parsed once for the read
      expect(store.jobs.task(id, 'each_74-P')?.spec).toEqual({ def, route: 'each_74', executionId: 'e1' })
      expect(store.jobs.someTasks(id, { prefix: 'each_3' }, 'stored')[0].spec.def).toEqual(def)
      expect(store.jobs.tasks(other).map((task) => task.spec.route)).toEqual(['each_0', 'each_1', 'each_2', 'each_3', 'each_4'])
    }
    t.store.jobs.delete(id)
    sweepAll(t.store.db)
    expect(t.store.db.prepare('SELECT job_id FROM task_spec_parts').all()).toEqual([{ job_id: other }])
  })

  it('stores the part again when the insert that stored it was undone', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const def = bigDef(10_000)
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'workflow', name: 'wide', submitter: 'admin' }, [])
    expect(() =>
      t.store.transaction(() => {
        t.store.jobs.addTasks(id, subTasks(def, 0, 2))
        throw new Error('the commit failed')
      }),
    ).toThrow('the commit failed')
    expect(t.store.db.prepare('SELECT count(*) AS n FROM task_spec_parts').get()).toEqual({ n: 0 })
    t.store.transaction(() => t.store.jobs.addTasks(id, subTasks(def, 0, 2)))
    expect(t.reopen().jobs.tasks(id).map((task) => task.spec.def)).toEqual([def, def])
  })

  it("parses what is left of a spec once a read for the tasks whose specs are the same text (a waiting foreach's 100,000 sub-tasks at a restart)", () => {
    const t = tempStore()
    cleanup = t.cleanup
    const def = bigDef(1000)
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'workflow', name: 'wide', submitter: 'admin' }, [])
    // the same spec for every sub-task, as a foreach's suspense tasks have: only the definition, a part
    t.store.transaction(() => t.store.jobs.addTasks(id, Array.from({ length: 200 }, (_, k): NewTask => ({ name: `each_${k}-hold`, executor: 'rillflow.control', spec: { def } }))))
    const rest = t.store.db.prepare('SELECT DISTINCT spec FROM tasks WHERE job_id = ?').pluck().all(id) as string[]
    expect(rest).toHaveLength(1) // the one text left in the rows once the definition is a part
    const parse = JSON.parse
    let parsed = 0
    JSON.parse = ((text: string, reviver?: Parameters<typeof parse>[1]) => {
      if (text === rest[0]) parsed++
      return parse(text, reviver)
    }) as typeof JSON.parse
    let tasks
    try {
      tasks = t.reopen().jobs.tasks(id)
    } finally {
      JSON.parse = parse
    }
    expect(parsed).toBe(1) // was 200: once a row, each copy then dropped for the shared spec
    expect(tasks).toHaveLength(200)
    expect(tasks.every((task) => task.spec === tasks[0].spec && task.spec.def !== undefined)).toBe(true)
    expect(tasks[199].spec).toEqual({ def })
  })

  it('parses a part once for all the reads while it is kept, and one too large to keep once per read', () => {
    const t = tempStore()
    cleanup = t.cleanup
    const small = bigDef(100_000)
    const large = bigDef(PARSED_PARTS_MAX_CHARS + 1000) // never kept: each read parses it, once for all its tasks
    const id = t.store.jobs.create({ uuid: 'u1', kind: 'workflow', name: 'wide', submitter: 'admin' }, [])
    t.store.transaction(() => t.store.jobs.addTasks(id, [...subTasks(small, 0, 20), ...subTasks(large, 20, 20)]))
    const store = t.reopen() // nothing parsed yet in this store
    const before = partsParsedCount()
    const reads = [1, 2, 3].map(() => store.jobs.tasks(id))
    expect(partsParsedCount() - before).toBe(1 + 3) // the small part once (a status poll read it on every poll), the large once a read
    for (const tasks of reads) {
      expect(tasks.map((task) => task.spec.def)).toEqual([...Array(20).fill(small), ...Array(20).fill(large)])
      expect(new Set(tasks.map((task) => task.spec.def)).size).toBe(2) // one object for all the tasks holding each
    }
    expect(reads[2][0].spec.def).toBe(reads[0][0].spec.def) // kept: the same object for every read
  })
})
