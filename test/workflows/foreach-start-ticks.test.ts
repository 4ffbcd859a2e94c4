// A foreach starts over two ticks, each with a commit of its own (#9 §2): the first maps and stores its
// input (the collection with it), the second reads and measures the collection and plans its groups.
// In one tick, a 100k-item start was the run's longest turn after the end's. A restart between the
// two plans the groups then.
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { Store } from '../../electron/store'
import { watchCommits } from '../support/commit-watch'
import { tempDir } from '../support/temp-store'
import { foreachDescriptor } from './support/foreach-descriptor'
import { openRill } from './support/open-rill'

const DESCRIPTOR = foreachDescriptor('start', 'wide', {
  name: 'f',
  output: ['{target: $.context.results, source: "$.output.sub_context.[*].doubled"}'],
  tasks: '[{category: pass, name: p, inputMappings: [{target: $.input.x, source: $.context.it}], outputMappings: [{target: $.context.doubled, source: $.output.x}]}]',
})
const caller = { username: 'test', isAdmin: true }
const items = Array.from({ length: 60 }, (_, i) => i)

/** For each transaction the store commits that saves task `f`: how `f` was saved (with its input? its groups planned?). */
const watchForeachSaves = (store: Store, after: (saved: { input: boolean; groups: unknown }) => void) =>
  watchCommits(
    store,
    (t) => (t.name === 'f' ? { input: Array.isArray((t.input as { items?: unknown } | null)?.items), groups: t.runtime?.groups } : undefined),
    (saved) => saved.forEach(after),
  )

let file = ''
afterEach(() => rmSync(dirname(file), { recursive: true, force: true }))

describe('a foreach start', () => {
  it('stores its input in one commit and plans its groups in a later one', async () => {
    file = join(tempDir(), 'jobdesk.db')
    const { store, engine, workflows } = openRill(file)
    try {
      const commits = watchForeachSaves(store, () => undefined)
      const { descriptorId } = workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
      const { job } = workflows.submit({ descriptorId, context: { items }, caller })
      expect((await engine.waitFor(job.id)).status).toBe('succeeded')
      const stored = commits.findIndex((c) => c.some((s) => s.input && s.groups === undefined))
      const planned = commits.findIndex((c) => c.some((s) => s.groups === items.length))
      expect(stored).toBeGreaterThanOrEqual(0)
      expect(planned).toBeGreaterThan(stored)
      expect(commits[stored].some((s) => s.groups !== undefined)).toBe(false)
      expect(store.jobs.get(job.id)!.context!.results).toEqual(items)
    } finally {
      await engine.stop()
      store.close()
    }
  })

  it('stopped between its two steps, is planned after the restart and runs to the end', async () => {
    file = join(tempDir(), 'jobdesk.db')
    const a = openRill(file)
    let stopping: Promise<void> | undefined
    // the process stops right after the commit that stored the input, before the tick that plans the groups
    watchForeachSaves(a.store, (s) => {
      if (s.input && s.groups === undefined) stopping ??= a.engine.stop()
    })
    const { descriptorId } = a.workflows.addDescriptor({ workspace: undefined, dagName: undefined, caller, text: DESCRIPTOR })
    const { job } = a.workflows.submit({ descriptorId, context: { items }, caller })
    await new Promise((r) => setTimeout(r, 200))
    expect(stopping).toBeDefined()
    await stopping
    const f = a.store.jobs.tasks(job.id).find((t) => t.name === 'f')!
    expect(f.status).toBe('running')
    expect(f.runtime?.groups).toBeUndefined()
    a.store.close()

    const b = openRill(file)
    try {
      b.engine.recover()
      const end = await Promise.race([b.engine.waitFor(job.id), new Promise<null>((r) => setTimeout(() => r(null), 10_000))])
      expect(end?.status).toBe('succeeded')
      expect(b.store.jobs.get(job.id)!.context!.results).toEqual(items)
    } finally {
      await b.engine.stop()
      b.store.close()
    }
  }, 30_000)
})
