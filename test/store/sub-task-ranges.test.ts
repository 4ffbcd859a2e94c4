// A redo drops a foreach's sub-tasks by name range (store/jobs/sub-task-names.ts), without reading them:
// reading 100k of them to drop them held the main thread ~1.4 s (#9 §2). These tests pin the range
// down on the edges of SQLite's BINARY order: `f_…` is under `f`, `f`, `fa`, `f^…` and `` f`… `` are not.
import { afterEach, describe, expect, it } from 'vitest'
import { rangesOutside } from '../../electron/store/jobs/sub-task-names'
import { tempStore } from '../support/temp-store'

const NAMES = ['f', 'f^x', 'f_0', 'f_0-p', 'f_1-inner_0-leaf', 'f`x', 'fa', 'g', 'g_0-p', 'last', 'é_0-p']
let cleanup = () => {}
afterEach(() => cleanup())

/** A job whose tasks are NAMES, and its groups: `f` and `f_1-inner` (a nested foreach) and `g`, two each. */
function jobOfNames() {
  const t = tempStore()
  cleanup = t.cleanup
  const { store } = t
  const id = store.jobs.create({ uuid: 'u', kind: 'workflow', name: 'w', submitter: 'eve' }, NAMES.map((name) => ({ name, executor: 'noop' })))
  store.transaction(() => {
    for (const parent of ['f', 'f_1-inner', 'g']) store.groups.save(id, parent, [0, 1].map((index) => ({ index, status: 'succeeded', context: { parent } })))
  })
  return { store, id }
}

describe('sub-tasks by name range', () => {
  it('reads every task but the sub-tasks of the roots, in the order they were made', () => {
    const { store, id } = jobOfNames()
    expect(store.jobs.tasksOutside(id, ['f']).map((t) => t.name)).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'g_0-p', 'last', 'é_0-p'])
    expect(store.jobs.tasksOutside(id, ['g', 'f', 'é']).map((t) => t.name)).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'last'])
    expect(store.jobs.tasksOutside(id, []).map((t) => t.name)).toEqual(NAMES)
    // a root inside another's range changes nothing
    expect(store.jobs.tasksOutside(id, ['f', 'f_1-inner']).map((t) => t.name)).toEqual(store.jobs.tasksOutside(id, ['f']).map((t) => t.name))
  })

  it('deletes the sub-tasks of the roots and the groups under them, and nothing else', () => {
    const { store, id } = jobOfNames()
    store.transaction(() => {
      expect(store.jobs.deleteSubTasks(id, ['f'])).toBe(3)
      store.groups.clearUnder(id, ['f'])
    })
    expect(store.jobs.tasks(id).map((t) => t.name)).toEqual(['f', 'f^x', 'f`x', 'fa', 'g', 'g_0-p', 'last', 'é_0-p'])
    // the nested foreach's groups went; the root's own (cleared by the redo that resets it) and g's stay
    expect(store.groups.rows(id, 'f_1-inner')).toEqual([])
    expect(store.groups.rows(id, 'f')).toHaveLength(2)
    expect(store.groups.rows(id, 'g')).toHaveLength(2)
    // a name freed is free again
    store.transaction(() => store.jobs.addTasks(id, [{ name: 'f_0-p', executor: 'noop' }]))
    expect(store.jobs.task(id, 'f_0-p')?.status).toBe('pending')
  })

  it('merges overlapping ranges', () => {
    expect(rangesOutside([])).toEqual([{ from: null, to: null }])
    expect(rangesOutside(['g', 'f', 'f_1'])).toEqual([
      { from: null, to: 'f_' },
      { from: 'f`', to: 'g_' },
      { from: 'g`', to: null },
    ])
  })
})
