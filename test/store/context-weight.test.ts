// Every context write is weighed by its JSON shape in what a user's unfinished jobs hold (shared/quotas.ts
// heldJsonWeight), as a submitted context and tasks' inputs and outputs are (migration 046): a job's
// saved context (what a wakeup's output mappings, a task's mappings or a redo's patch write into it),
// its groups' sub-contexts (a foreach's) and its tasks' runtimes. Found on 82b121e9: each counted its
// characters only, so a context of `[{},{},...]` held ~20 heap bytes per counted byte. The job's
// state_weight must always equal a recount of what its rows' weights say, and a store upgraded from
// before these weights (046 or older) weighs the unfinished jobs it had, not their characters.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openStore, type Store } from '../../electron/store'
import { MIGRATIONS } from '../../electron/store/migrations'
import liveInputWeight from '../../electron/store/migrations/046-live-input-weight'
import { jsonShapeOf } from '../../shared/json-limits'
import { heldJsonWeight } from '../../shared/quotas'
import { storesPerTest } from '../support/finished-jobs'
import { oldDatabase } from '../support/old-database'
import { tempDir } from '../support/temp-store'

const stores = storesPerTest()

const MAPS = '[' + Array.from({ length: 1000 }, () => '{}').join(',') + ']'
/** What a JSON text weighs past its characters (what the held bytes add to its state_bytes). */
const extraOf = (text: string) => heldJsonWeight(text.length, jsonShapeOf(text)) - text.length

/** A one-task job of `submitter` whose input is the JSON text `inputJson`. */
const jobWith = (store: Store, uuid: string, submitter: string, inputJson: string): number =>
  store.jobs.create({ uuid, kind: 'workflow', name: uuid, submitter, input: JSON.parse(inputJson), inputJson, context: {} }, [{ name: 'a', executor: 'noop', spec: {} }])

/** What job `id` holds past its state's characters and twice its input: its state_weight. */
const stateWeight = (store: Store, id: number) => store.keptBytes.heldByJob(id) - store.keptBytes.stateOfJob(id) - 2 * (store.db.prepare('SELECT max(input_bytes, input_weight) FROM jobs WHERE id = ?').pluck().get(id) as number)

describe('the weight of what a job writes into its contexts', () => {
  it("weighs a saved context, a group's sub-context and a task's runtime by their nodes, and takes them off as they go", () => {
    const t = stores.open()
    let store = t.store
    const id = jobWith(store, 'j', 'eve', '{}')
    const job = store.jobs.get(id)!
    job.status = 'running'
    job.context = { items: JSON.parse(MAPS) } // as a wakeup's output mapping writes it
    store.jobs.saveJob(job)
    const context = `{"items":${MAPS}}`
    expect(stateWeight(store, id)).toBe(extraOf(context))

    store.groups.save(id, 'fe', [{ index: 0, status: 'running', context: { item: JSON.parse(MAPS) } }, { index: 1, status: 'running', context: { item: 1 } }])
    expect(stateWeight(store, id)).toBe(extraOf(context) + extraOf(`{"item":${MAPS}}`) + extraOf('{"item":1}'))

    const [a] = store.jobs.tasks(id)
    a!.runtime = { skipNext: JSON.parse(MAPS) }
    store.jobs.saveTask(a!)
    const all = extraOf(context) + extraOf(`{"item":${MAPS}}`) + extraOf('{"item":1}') + extraOf(`{"skipNext":${MAPS}}`)
    expect(stateWeight(store, id)).toBe(all)
    store.close()
    store = t.reopen()
    expect(stateWeight(store, id)).toBe(all)

    // rewritten smaller, dropped: taken off again
    const reread = store.jobs.get(id)!
    reread.context = { s: 'x'.repeat(100) }
    store.jobs.saveJob(reread)
    store.groups.clear(id, ['fe'])
    a!.runtime = null
    store.jobs.saveTask(a!)
    expect(stateWeight(store, id)).toBe(extraOf(JSON.stringify(reread.context)))
    reread.status = 'succeeded'
    store.jobs.saveJob(reread)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
    store.jobs.delete(id)
    expect(store.keptBytes.liveStateOf('eve')).toBe(0)
  })

  it('weighs, in a store upgraded from 046, the unfinished jobs it had by their nodes: input, context, tasks and groups', () => {
    const file = join(tempDir(), 'jobdesk.db')
    const version = MIGRATIONS.indexOf(liveInputWeight) + 1
    const input = `{"items":${MAPS}}`
    const ids = oldDatabase(file, version, (db) => {
      const job = (uuid: string, status: string) =>
        Number(db.prepare("INSERT INTO jobs (uuid, kind, name, status, submitter, created_at, updated_at, input_bytes) VALUES (?, 'workflow', 'n', ?, 'eve', 0, 0, ?)").run(uuid, status, input.length).lastInsertRowid)
      const running = job('r', 'running')
      const ended = job('e', 'succeeded')
      for (const id of [running, ended]) {
        db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'input', ?)").run(id, input)
        db.prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'context', ?)").run(id, `{"c":${MAPS}}`)
        db.prepare("INSERT INTO tasks (job_id, name, executor, status, depends_on, spec, max_attempts, timeout_ms, backoff_ms, input, output, runtime) VALUES (?, 'a', 'noop', 'running', '[]', '{}', 1, 0, 0, ?, ?, ?)").run(
          id,
          `{"i":${MAPS}}`,
          `{"o":${MAPS}}`,
          `{"r":${MAPS}}`,
        )
        db.prepare("INSERT INTO task_groups (job_id, parent, idx, status, context) VALUES (?, 'fe', 0, 'running', ?)").run(id, `{"g":${MAPS}}`)
      }
      return { running, ended }
    })
    const store = openStore(file)
    try {
      expect(store.db.prepare('SELECT input_weight FROM jobs WHERE id = ?').pluck().get(ids.running)).toBe(heldJsonWeight(input.length, jsonShapeOf(input)))
      const extra = [`{"c":${MAPS}}`, `{"i":${MAPS}}`, `{"o":${MAPS}}`, `{"r":${MAPS}}`, `{"g":${MAPS}}`].reduce((n, text) => n + extraOf(text), 0)
      expect(stateWeight(store, ids.running)).toBe(extra)
      // an ended job holds nothing: left as it was stored (weighed again as its values are saved)
      expect(store.keptBytes.liveStateOf('eve')).toBe(store.keptBytes.heldByJob(ids.running))
    } finally {
      store.close()
    }
  })
})
