// What a user's unfinished jobs hold weighs each job's input by its shape (migration 046,
// shared/quotas.ts heldJsonWeight): jobs.input_weight, written at the job's insert, and the running total
// (store/kept-bytes.ts liveStateOf) must always equal a recount (here, a query of its own) of
// state_bytes + their tasks' value_weight + 2 x max(input_bytes, input_weight) over the user's queued,
// running and cancelling jobs:
// after submit, cancel, a redo that re-opens the job, delete and a restart; and an upgraded store weighs
// the unfinished jobs it had (migration 048), a rewound one (046 run again) keeps the weights it had.
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import { MIGRATIONS } from '../../electron/store/migrations'
import liveInputWeight from '../../electron/store/migrations/046-live-input-weight'
import { jsonShapeOf, jsonShapeWithinDepth } from '../../shared/json-limits'
import { keptTextShape, stateJson } from '../../electron/store/state-json'
import { heldJsonWeight, HELD_BYTES_PER_JSON_CONTAINER, HELD_BYTES_PER_JSON_NODE } from '../../shared/quotas'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

/** SQL: what `jobs`' row's state weighs past its characters, summed from its rows (tasks' values, migration 046; its context and result, groups' sub-contexts, 048). */
const STATE_WEIGHT_SUM = `(SELECT coalesce(sum(t.value_weight), 0) FROM tasks t WHERE t.job_id = jobs.id) + (SELECT coalesce(sum(v.weight), 0) FROM job_values v WHERE v.job_id = jobs.id)
  + (SELECT coalesce(sum(g.weight), 0) FROM task_groups g WHERE g.job_id = jobs.id)`

/** What `submitter`'s unfinished jobs hold, recounted from their rows. */
const liveRecounted = (store: Store, submitter: string): number =>
  store.db
    .prepare(
      `SELECT coalesce(sum(state_bytes + ${STATE_WEIGHT_SUM} + 2 * max(input_bytes, input_weight)), 0)
       FROM jobs WHERE submitter = ? AND status IN ('queued', 'running', 'cancelling')`,
    )
    .pluck()
    .get(submitter) as number

const MAPS = '[' + Array.from({ length: 1000 }, () => '{}').join(',') + ']'

/** A one-task job of `submitter` whose input is the JSON text `inputJson`. */
const jobWith = (store: Store, uuid: string, submitter: string, inputJson: string): number =>
  store.jobs.create({ uuid, kind: 'workflow', name: uuid, submitter, input: JSON.parse(inputJson), inputJson, context: {} }, [{ name: 'a', executor: 'noop', spec: {} }])

describe('the weight of the inputs of a user’s unfinished jobs', () => {
  it('counts the nodes of a JSON text: its values, keys, lists and maps', () => {
    expect(jsonShapeOf('{"a":[1,2,{}],"b":"x,:[{"}')).toEqual({ nodes: 8, containers: 3 }) // map, a, list, 1, 2, {}, b, "x"
    expect(jsonShapeOf('[ ]')).toEqual({ nodes: 1, containers: 1 })
    expect(jsonShapeOf('[ [] , { } ]')).toEqual({ nodes: 3, containers: 3 })
    expect(jsonShapeOf('"s"')).toEqual({ nodes: 1, containers: 0 })
    expect(jsonShapeOf(MAPS)).toEqual({ nodes: 1001, containers: 1001 })
    // past MAX_JSON_CONTAINERS too (state may hold more than a client's text may)
    expect(jsonShapeOf('[' + Array.from({ length: 400_000 }, () => '[]').join(',') + ']')).toEqual({ nodes: 400_001, containers: 400_001 })
    // the save of a large value counts them as it checks its depth, and keeps them with its text (a sub-flow's input)
    const large = { items: Array.from({ length: 30_000 }, () => ({})) }
    const text = stateJson(large, 'a value', true)!
    expect(keptTextShape(large)).toEqual(jsonShapeOf(text))
    expect(jsonShapeWithinDepth('['.repeat(101) + ']'.repeat(101))).toBeNull()
  })

  it('is written at submit and follows cancel, a redo, delete and a restart, as a recount finds', () => {
    const t = stores.open()
    let store = t.store
    const maps = jobWith(store, 'm', 'eve', `{"items":${MAPS}}`)
    const text = jobWith(store, 's', 'eve', JSON.stringify({ s: 'x'.repeat(5000) }))
    const weight = (id: number) => store.db.prepare('SELECT input_weight FROM jobs WHERE id = ?').pluck().get(id) as number
    const mapsWeight = heldJsonWeight(`{"items":${MAPS}}`.length, { nodes: 1003, containers: 1002 })
    expect(mapsWeight).toBe(1003 * HELD_BYTES_PER_JSON_NODE + 1002 * HELD_BYTES_PER_JSON_CONTAINER) // its nodes, not its 3,011 characters
    expect(weight(maps)).toBe(mapsWeight)
    expect(weight(text)).toBe(5008) // a long string counts by its bytes
    const expectRecount = () => expect(store.keptBytes.liveStateOf('eve')).toBe(liveRecounted(store, 'eve'))
    expectRecount()
    expect(store.keptBytes.heldByJob(maps)).toBe(2 * mapsWeight + store.keptBytes.stateOfJob(maps))
    expect(store.keptBytes.liveStateOf('eve')).toBe(2 * mapsWeight + 2 * 5008 + store.keptBytes.stateOfJob(maps) + store.keptBytes.stateOfJob(text))

    const job = store.jobs.get(maps)!
    job.status = 'cancelling'
    store.jobs.saveJob(job)
    expectRecount()
    job.status = 'cancelled'
    store.jobs.saveJob(job)
    expectRecount()
    expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.heldByJob(text))
    job.status = 'running' // a redo re-opens it: held again, by its weight
    store.jobs.saveJob(job)
    expectRecount()
    expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.heldByJob(text) + store.keptBytes.heldByJob(maps))

    store.close()
    store = t.reopen()
    expectRecount()
    // and its saved context `{}` by its shape (migration 048): a map weighs 32, 30 past its 2 characters
    expect(store.keptBytes.heldByJob(maps)).toBe(2 * mapsWeight + store.keptBytes.stateOfJob(maps) + 30)
    store.jobs.delete(text)
    expectRecount()
    store.jobs.delete(maps)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    expectRecount()
  })

  it("weighs a task's input and output by their nodes as they are saved, as a recount of its tasks finds", () => {
    const t = stores.open()
    let store = t.store
    const id = jobWith(store, 'j', 'eve', '{}')
    const weightOf = (text: string) => heldJsonWeight(text.length, jsonShapeOf(text)) - text.length
    const [a] = store.jobs.tasks(id)
    const expectRecount = () => {
      expect(store.keptBytes.liveStateOf('eve')).toBe(liveRecounted(store, 'eve'))
      expect(store.db.prepare('SELECT state_weight FROM jobs WHERE id = ?').pluck().get(id)).toBe(store.db.prepare(`SELECT ${STATE_WEIGHT_SUM} FROM jobs WHERE id = ?`).pluck().get(id))
    }
    a!.input = { items: JSON.parse(MAPS) }
    a!.output = [1, 2, 3]
    store.jobs.saveTask(a!)
    const value = () => store.db.prepare('SELECT value_weight FROM tasks WHERE id = ?').pluck().get(a!.id) as number
    expect(value()).toBe(weightOf(`{"items":${MAPS}}`) + weightOf('[1,2,3]')) // `[1,2,3]` too: 4 nodes and a list weigh 56, past its 7 characters
    expectRecount()
    a!.output = 'a long string'.repeat(100) // a lone scalar counts its characters only
    a!.input = null
    store.jobs.saveTask(a!)
    expect(value()).toBe(0)
    expectRecount()
    a!.output = { out: JSON.parse(MAPS) }
    store.jobs.saveTask(a!)
    expect(value()).toBe(weightOf(`{"out":${MAPS}}`))
    expectRecount()
    const job = store.jobs.get(id)!
    job.status = 'failed' // ended: still kept, no longer held
    store.jobs.saveJob(job)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    job.status = 'running' // re-opened by a redo
    store.jobs.saveJob(job)
    expectRecount()
    store.close()
    store = t.reopen()
    expectRecount()
    expect(store.keptBytes.liveStateOf('eve')).toBeGreaterThan(value())
    store.jobs.delete(id) // its tasks are swept later: nothing is taken off twice
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    expect(liveRecounted(store, 'eve')).toBe(0)
  })

  // 046 alone left them counting their bytes until they ended; 048 weighs the unfinished ones it finds (context-weight.test.ts)
  it('weighs, in a store upgraded to it, the unfinished jobs it had by their nodes; run again, the weights it had', () => {
    const file = join(tempDir(), 'jobdesk.db')
    const version = MIGRATIONS.indexOf(liveInputWeight)
    const id = oldDatabase(file, version, (db) => {
      const job = Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at, input_bytes) VALUES ('r', 'workflow', 'n', 'running', 'eve', 0, 0, 3011)").run().lastInsertRowid)
      db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'input', ?)").run(job, `{"items":${MAPS}}`)
      return job
    })
    let store = openStore(file)
    try {
      expect(store.keptBytes.liveStateOf('eve')).toBe(2 * heldJsonWeight(3011, jsonShapeOf(`{"items":${MAPS}}`)) + store.keptBytes.stateOfJob(id))
      const added = jobWith(store, 'new', 'eve', `{"items":${MAPS}}`)
      expect(store.keptBytes.heldByJob(added)).toBeGreaterThan(2 * 3011 * 10)
      expect(store.keptBytes.liveStateOf('eve')).toBe(liveRecounted(store, 'eve'))
    } finally {
      store.close()
    }
    // rewound to before 046 (as a test's database may be): it runs again, and keeps the weight written
    const rewound = new Database(file)
    rewound.pragma(`user_version = ${version}`)
    rewound.close()
    store = openStore(file)
    try {
      expect(store.keptBytes.liveStateOf('eve')).toBe(liveRecounted(store, 'eve'))
      expect(store.keptBytes.liveStateOf('eve')).toBeGreaterThan(2 * 3011 * 10)
    } finally {
      store.close()
    }
  })
})
