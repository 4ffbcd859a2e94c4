// A job's labels are bounded where every job is made (Engine.submitMany, shared/job-labels.ts): every
// list of jobs reads them, and 20 Linkis submits of 3,500 labels made a 75 MB page of the jobs list
// (atk29). Whatever kind of job, and whichever path made it (a dialect, a rerun copying an older job's
// labels), too many labels, a long key or too many bytes are refused, naming the label, storing nothing.
import { randomUUID } from 'node:crypto'
import { afterEach, expect, it } from 'vitest'
import { fitJobLabels, JOB_LABEL_LIMITS, labelsProblem } from '../../shared/job-labels'
import { createAuthService } from '../../electron/services/auth.service'
import { createExporter } from '../../electron/services/export/exporter'
import { createJobsService } from '../../electron/services/jobs.service'
import { makeEngine } from '../support/engine'
import { tempStore } from '../support/temp-store'
import { JOB_KINDS } from '../../shared/model'
import { toJobSummary, type NewJob } from '../../electron/store/job.repository'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const job = (kind: NewJob['kind'], labels: Record<string, string>): NewJob => ({ uuid: randomUUID(), kind, name: 'j', submitter: 'admin', labels })
const many = (n: number, value = 'v') => Object.fromEntries(Array.from({ length: n }, (_, i) => [`l${i}`, value]))

it('refuses too many labels, a long key or too many bytes for any kind of job, naming the label, storing nothing', () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  const refusedWith = (kind: NewJob['kind'], labels: Record<string, string>): unknown => {
    try {
      engine.submit(job(kind, labels), [{ name: 't', executor: 'noop' }])
    } catch (e) {
      return e
    }
    return undefined
  }
  for (const kind of JOB_KINDS) {
    expect(refusedWith(kind, many(65)), kind).toMatchObject({ kind: 'invalid', code: 'labels_too_large', field: 'labels', message: 'labels: 65 labels, more than the 64 a job may have' })
    expect(refusedWith(kind, { ['k'.repeat(1_000_000)]: 'v' }), kind).toMatchObject({ code: 'labels_too_large', message: expect.stringMatching(/^labels: key "k{40}…" \(1,000,000 characters\) is longer than 128 characters$/) })
    expect(refusedWith(kind, { a: 'x'.repeat(40_000), callback: '東'.repeat(10_000) }), kind).toMatchObject({ code: 'labels_too_large', field: 'labels.callback', message: 'labels: label "callback" brings keys and values past 65,536 bytes (UTF-8)' })
  }
  expect(t.store.jobs.list({ limit: 10 }).total).toBe(0)
  // at the bounds: kept as given
  const edge = { ...many(63), ['k'.repeat(128)]: 'v'.repeat(30_000) }
  expect(labelsProblem(edge)).toBeNull()
  expect(engine.submit(job('script', edge), [{ name: 't', executor: 'noop' }]).labels).toEqual(edge)
  expect(JOB_LABEL_LIMITS).toEqual({ keyChars: 128, count: 64, bytes: 65_536 })
})

it('lists a job stored before the bounds with its labels trimmed (its own first), and reads it whole on its own', () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  const normal = engine.submit(job('script', { dialect: 'linkis', 'label.tenant': 't1' }), [{ name: 't', executor: 'noop' }])
  const old = engine.submit(job('script', {}), [{ name: 't', executor: 'noop' }])
  // as a Linkis submit kept them before atk29: a million-character key, 3,000 labels, JobDesk's own around them
  const huge = { dialect: 'linkis', engineType: 'jdbc-4', ['label.' + 'k'.repeat(1_000_000)]: 'v', ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`label.l${i}`, 'v'.repeat(1000)])), executeUser: 'bob', submitUser: 'admin' }
  t.store.db.prepare('UPDATE jobs SET labels = ? WHERE id = ?').run(JSON.stringify(huge), old.id)
  const listed = new Map(t.store.jobs.list({ limit: 10 }).items.map((j) => [j.id, j.labels]))
  expect(listed.get(normal.id)).toEqual({ dialect: 'linkis', 'label.tenant': 't1' })
  const trimmed = listed.get(old.id)!
  expect(Object.keys(trimmed)).toHaveLength(JOB_LABEL_LIMITS.count)
  expect(trimmed).toMatchObject({ dialect: 'linkis', engineType: 'jdbc-4', executeUser: 'bob', submitUser: 'admin', 'label.l0': 'v'.repeat(1000) })
  expect(Object.keys(trimmed).every((k) => k.length <= JOB_LABEL_LIMITS.keyChars)).toBe(true)
  expect(t.store.jobs.list({ limit: 10 }, 'bob').items.map((j) => j.id)).toEqual([old.id]) // whose it is still reads the column
  expect(Object.keys(t.store.jobs.get(old.id)!.labels)).toHaveLength(3005)
})

/** Label sets of jobs stored before the bounds, each past them in its own way. */
const OLD_LABELS: Record<string, Record<string, string>> = {
  // as a Linkis submit kept them before atk29: a million-character key, 3,000 labels, JobDesk's own around them
  huge: { dialect: 'linkis', engineType: 'jdbc-4', ['label.' + 'k'.repeat(1_000_000)]: 'v', ...Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`label.l${i}`, 'v'.repeat(1000)])), executeUser: 'bob', submitUser: 'admin' },
  // small text, too many of them
  many: { ...many(100), dialect: 'linkis' },
  // within the bounds, though its JSON text (each newline written \n) is past 64 KiB: kept whole
  escaped: { dialect: 'linkis', a: '\n'.repeat(20_000), b: '\n'.repeat(20_000), c: '\n'.repeat(20_000) },
  // values of three-byte characters: the bytes run out before the count; a short one after them is not taken
  wide: { dialect: 'linkis', ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`label.w${i}`, '東'.repeat(1000)])), 'label.z': 'short', x: 'y'.repeat(70_000) },
}

it('fits an old job\'s labels alike in SQLite (lists, job history) and in JavaScript (reruns, events)', () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  for (const [name, labels] of Object.entries(OLD_LABELS)) {
    const { id } = engine.submit(job('script', {}), [{ name: 't', executor: 'noop' }])
    t.store.db.prepare('UPDATE jobs SET labels = ? WHERE id = ?').run(JSON.stringify(labels), id)
    const fitted = fitJobLabels(labels)
    expect(labelsProblem(fitted.labels), name).toBeNull()
    expect(Object.keys(fitted.labels).length + fitted.dropped.length, name).toBe(Object.keys(labels).length)
    const entries = Object.entries(fitted.labels)
    expect(Object.entries(t.store.jobs.list({ limit: 1 }).items[0].labels), name).toEqual(entries)
    expect(Object.entries(t.store.jobs.history({ ids: [id], offset: 0, limit: 1 }).items[0].labels), name).toEqual(entries)
    expect(Object.entries(t.store.jobs.historyJob(id)!.labels), name).toEqual(entries)
    expect(Object.entries(t.store.jobs.head(id)!.labels), name).toEqual(entries)
    expect(t.store.jobs.get(id)!.labels, name).toEqual(labels) // the job's own read keeps them whole
    expect(Object.entries(toJobSummary(t.store.jobs.get(id)!, 1).labels), name).toEqual(entries) // as events and details show it
  }
  expect(fitJobLabels(OLD_LABELS.escaped)).toEqual({ labels: OLD_LABELS.escaped, dropped: [] })
  const wide = fitJobLabels(OLD_LABELS.wide).labels
  expect(Object.keys(wide)).toEqual(['dialect', ...Array.from({ length: 21 }, (_, i) => `label.w${i}`)])
})

it('reruns an old job with the labels that fit, saying in the new job\'s log which it left out', async () => {
  const t = tempStore()
  const engine = makeEngine(t.store)
  cleanup = () => {
    engine.stop()
    t.cleanup()
  }
  await createAuthService(t.store).ensureDefaultAdmin()
  const admin = t.store.users.findByUsername('admin')!
  const jobs = createJobsService(t.store, engine, createExporter(t.file, t.store.results))
  const old = engine.submit(job('dag', {}), [{ name: 't', executor: 'noop' }])
  await engine.waitFor(old.id)
  t.store.db.prepare('UPDATE jobs SET labels = ? WHERE id = ?').run(JSON.stringify(OLD_LABELS.huge), old.id)
  const again = jobs.rerun(old.id, admin)
  await engine.waitFor(again.id)
  const labels = t.store.jobs.get(again.id)!.labels
  const { executeUser: _runAs, ...copied } = OLD_LABELS.huge
  expect(labels).toEqual({ ...fitJobLabels(copied, { ...JOB_LABEL_LIMITS, count: 63, bytes: JOB_LABEL_LIMITS.bytes - 'rerunOf'.length - String(old.id).length }).labels, rerunOf: String(old.id) })
  expect(Object.keys(labels)).toHaveLength(JOB_LABEL_LIMITS.count)
  expect(labels).toMatchObject({ dialect: 'linkis', engineType: 'jdbc-4', submitUser: 'admin', 'label.l0': 'v'.repeat(1000), 'label.l59': 'v'.repeat(1000) }) // JobDesk's own three, 60 of the client's, rerunOf
  const said = t.store.logs.read(again.id, 0, 100).lines.filter((l) => l.text.includes('left out'))
  expect(said.map((l) => `${l.level} ${l.text}`)).toEqual([
    `WARN rerun of job ${old.id}: 2,941 labels left out, past a job's bounds (64 labels, keys of 128 characters, values of 1,000, 65,536 bytes together): ` +
      `"label.${'k'.repeat(34)}…" (1,000,006 characters), "label.l60", "label.l61", "label.l62", "label.l63", "label.l64", "label.l65", "label.l66", "label.l67", "label.l68" and 2,931 more`,
  ])
  // a job within the bounds is rerun with its labels as they are, and says nothing of them
  const fine = engine.submit(job('dag', { dialect: 'linkis', 'label.tenant': 't1' }), [{ name: 't', executor: 'noop' }])
  await engine.waitFor(fine.id)
  const fineAgain = jobs.rerun(fine.id, admin)
  await engine.waitFor(fineAgain.id)
  expect(t.store.jobs.get(fineAgain.id)!.labels).toEqual({ dialect: 'linkis', 'label.tenant': 't1', rerunOf: String(fine.id) })
  expect(t.store.logs.read(fineAgain.id, 0, 100).lines.filter((l) => l.text.includes('left out'))).toEqual([])
})
