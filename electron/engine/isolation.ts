// One job's bad state must not take the others down. A tick commits every job's changes in one
// transaction; when that throws (a value too large or not JSON: store/state-json.ts), the changes
// are committed again job by job, so only the jobs whose state cannot be saved are singled out.

import type { LogTruncation, NewLogLine } from '../store/log.repository'
import type { Store } from '../store'
import { prepareStateJson, stateJson } from '../store/state-json'
import { stopAsOf, type ActiveJob, type ActiveTask } from './active-job'
import type { KeptBytesWatch } from './kept-bytes-guard'
import type { TaskGroups } from './task-groups'

/** The groups a tick changed: by parent, the indices of the changed groups. */
export type DirtyGroups = Map<TaskGroups, Set<number>>

/** Writes the changed groups' rows; call inside the caller's transaction. */
export function saveGroups(store: Store, groups: DirtyGroups): void {
  for (const [g, indices] of groups) store.groups.save(g.jobId, g.parent, [...indices].flatMap((i) => g.row(i) ?? []))
}

/**
 * Saves each job's changed tasks, groups, record (its context if in `contexts`), log lines and log cuts in a transaction of its own. Returns the
 * jobs whose changes could not be saved (their transaction rolled back), with the error. `watch`: what
 * a job's writes may add to what its submitter keeps (kept-bytes-guard.ts), checked before its log lines.
 */
export function commitEachJob(
  store: Store,
  tasks: Iterable<ActiveTask>,
  jobs: Iterable<ActiveJob>,
  contexts: ReadonlySet<ActiveJob>,
  logs: NewLogLine[],
  truncations: LogTruncation[] = [],
  groups: DirtyGroups = new Map(),
  watch: (jobId: number) => KeptBytesWatch = () => ({ check() {} }),
): Map<number, unknown> {
  const byJob = new Map<number, { tasks: ActiveTask[]; job?: ActiveJob; logs: NewLogLine[]; cuts: LogTruncation[]; groups: DirtyGroups }>()
  const of = (id: number) => {
    let entry = byJob.get(id)
    if (!entry) byJob.set(id, (entry = { tasks: [], logs: [], cuts: [], groups: new Map() }))
    return entry
  }
  for (const [g, indices] of groups) of(g.jobId).groups.set(g, indices)
  for (const t of tasks) of(t.rec.jobId).tasks.push(t)
  for (const j of jobs) of(j.rec.id).job = j
  for (const l of logs) of(l.jobId).logs.push(l)
  for (const c of truncations) of(c.jobId).cuts.push(c)
  const failed = new Map<number, unknown>()
  for (const [id, change] of byJob) {
    try {
      store.transaction(() => {
        const kept = watch(id)
        for (const t of change.tasks) store.jobs.saveTask(t.rec)
        saveGroups(store, change.groups)
        if (change.job) store.jobs.saveJob(change.job.rec, contexts.has(change.job), !change.job.driver.resultIsContext, stopAsOf(change.job))
        kept.check()
        store.logs.append(change.logs)
        for (const cut of change.cuts) store.logs.truncate(cut)
      })
    } catch (e) {
      failed.set(id, e)
    }
  }
  return failed
}

/**
 * Makes a job's in-memory state storable again after a save failed: a context or result that
 * cannot be stored goes back to the last stored one (or null), a task value that cannot be
 * stored becomes null. Returns what was dropped, for the job's log.
 */
export function dropUnstorable(store: Store, job: ActiveJob): string[] {
  const dropped: string[] = []
  const storable = (value: unknown, what: string): boolean => {
    try {
      stateJson(value, what)
      return true
    } catch (e) {
      dropped.push((e as Error).message)
      return false
    }
  }
  if (!storable(job.rec.context ?? undefined, 'the context')) job.rec.context = store.jobs.get(job.rec.id)?.context ?? null
  if (!storable(job.rec.result, 'the result')) job.rec.result = null
  for (const t of job.tasks.values()) {
    const rec = t.rec
    if (!storable(rec.input, `the input of task ${rec.name}`)) rec.input = null
    if (!storable(rec.output, `the output of task ${rec.name}`)) rec.output = null
    if (!storable(rec.runtime ?? undefined, `the state of task ${rec.name}`)) rec.runtime = null
  }
  for (const g of job.groups.values()) {
    // by row, not 0..size-1: group numbers may have gaps, and a row past the count was skipped
    for (const row of g.all()) {
      if (!storable(row.context ?? undefined, `the sub-context of group ${row.index} of task ${g.parent}`)) row.context = null
    }
  }
  return dropped
}

/**
 * After a job's writes would have made its submitter's jobs keep more than they may (KeptBytesExceeded):
 * what those writes grew goes back, so that the job's end stores no more than is stored now. A
 * changed task's (in `tasks`) input or output larger than its stored one becomes null, a changed
 * context (in `contexts`) goes back to the stored one, the changed groups' (`groups`) sub-contexts
 * become null. Returns what was dropped, for the job's log.
 */
export function dropGrown(store: Store, job: ActiveJob, tasks: Iterable<ActiveTask>, contexts: ReadonlySet<ActiveJob>, groups: DirtyGroups): string[] {
  const dropped: string[] = []
  for (const t of tasks) {
    const rec = t.rec
    if (rec.jobId !== job.rec.id) continue
    const stored = store.jobs.taskValueBytes(rec.id)
    if (rec.input != null && prepareStateJson(rec.input) > (stored?.input ?? 0)) {
      rec.input = null
      dropped.push(`the input of task ${rec.name}`)
    }
    if (rec.output != null && prepareStateJson(rec.output) > (stored?.output ?? 0)) {
      rec.output = null
      dropped.push(`the output of task ${rec.name}`)
    }
  }
  if (contexts.has(job)) {
    job.rec.context = store.jobs.get(job.rec.id)?.context ?? null
    dropped.push('the changes to the context')
  }
  for (const [g, indices] of groups) {
    if (g.jobId !== job.rec.id) continue
    for (const row of g.all()) {
      if (!indices.has(row.index) || row.context == null) continue
      row.context = null
      dropped.push(`the sub-context of group ${row.index} of task ${g.parent}`)
    }
  }
  return dropped
}
