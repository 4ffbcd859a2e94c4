// How far the groups of a choice/foreach task are, for the views (get.json's sub_group_index_to_status,
// the Workflows page's node): one group per foreach item or choice branch. The group rows say which
// groups started and how those that settled ended; a group still marked running under a parent
// that has ended (a cancel, complete_dag) is read from its sub-tasks.

import type { ItemProgress } from '../../../../shared/workflows'
import type { JobItems } from '../../../../shared/model'
import type { TaskGroups } from '../../../engine/task-groups'
import type { GroupRepository } from '../../../store/group.repository'
import type { JobRecord, TaskRecord } from '../../../store/job.repository'
import { groupsOf } from './groups'
import { routeName, subContextKey } from './names'
import { routeOf } from './task-specs'

/**
 * A group's state: `waiting` for a slot (maxConcurrency), `running`, ended `succeeded`/`failed`,
 * `skipped` (a choice branch not taken), `cancelled` (stopped while running) or `not_run` (the
 * execution ended before it started).
 */
export type GroupOutcome = 'waiting' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled' | 'not_run'

const FAILURES = new Set(['failed', 'timed_out'])

/** Tasks by the group (route) they belong to; top-level tasks are left out. */
export function tasksByRoute(tasks: readonly TaskRecord[]): Map<string, TaskRecord[]> {
  const byRoute = new Map<string, TaskRecord[]>()
  for (const t of tasks) {
    const route = routeOf(t)
    if (route === null) continue
    const members = byRoute.get(route)
    if (members) members.push(t)
    else byRoute.set(route, [t])
  }
  return byRoute
}

/** Where a view reads a parent's groups: the stored rows (GroupRepository), by parent task. */
export interface GroupReader {
  /** Status by group index. */
  statuses(parent: TaskRecord): ReadonlyMap<number, string>
  /** Status by group index of the groups `from` ≤ index < `to`: a page of statuses. */
  statusRange(parent: TaskRecord, from: number, to: number): ReadonlyMap<number, string>
  /** Groups that ended (succeeded, failed or skipped): what progress counts. */
  ended(parent: TaskRecord): number
  /** How many of the groups that have a row have each status (`running`, `succeeded`, `failed`, `skipped`): one count query, no group read. */
  counts(parent: TaskRecord): ReadonlyMap<string, number>
  /** The sub-context of group `index` of the task named `parent` (get_sub_context.json); undefined when it has none. */
  subContext(parent: string, index: number): Record<string, unknown> | undefined
}

/** The group statuses an execution stored before groups had rows kept in the parent's runtime; undefined for newer ones. */
export function legacyStatuses(parent: TaskRecord): Map<number, string> | undefined {
  const status = groupsOf(parent)?.status
  return status && typeof status === 'object' ? new Map(Object.entries(status).map(([i, s]) => [Number(i), s])) : undefined
}

/**
 * A GroupReader over the stored rows of one execution (`rows`: store.groups), or the legacy runtime;
 * progress counts come from `live(parent)` (the engine's groups of a running job) when it has them.
 */
export function storedGroups(
  rows: Pick<GroupRepository, 'statuses' | 'statusRange' | 'counts' | 'context'>,
  job: Pick<JobRecord, 'id' | 'context'>,
  live: (parent: string) => Pick<TaskGroups, 'size' | 'count'> | undefined = () => undefined,
): GroupReader {
  const jobId = job.id
  // a legacy parent's statuses, parsed once for all the pages of a view (statusRange)
  const legacyOf = new WeakMap<TaskRecord, Map<number, string> | undefined>()
  const legacy = (parent: TaskRecord) => {
    if (!legacyOf.has(parent)) legacyOf.set(parent, legacyStatuses(parent))
    return legacyOf.get(parent)
  }
  const counts = (parent: TaskRecord): ReadonlyMap<string, number> => {
    const statuses = legacyStatuses(parent)
    if (!statuses) return rows.counts(jobId, parent.name)
    const byStatus = new Map<string, number>()
    for (const s of statuses.values()) byStatus.set(s, (byStatus.get(s) ?? 0) + 1)
    return byStatus
  }
  return {
    subContext(parent, index) {
      const legacy = job.context?.[subContextKey(routeName(parent, index))] as Record<string, unknown> | undefined
      return rows.context(jobId, parent, index) ?? legacy ?? undefined
    },
    statuses: (parent) => legacyStatuses(parent) ?? rows.statuses(jobId, parent.name),
    statusRange(parent, from, to) {
      const statuses = legacy(parent)
      if (!statuses) return rows.statusRange(jobId, parent.name, from, to)
      const page = new Map<number, string>()
      for (let i = from; i < to; i++) {
        const status = statuses.get(i)
        if (status !== undefined) page.set(i, status)
      }
      return page
    },
    ended(parent) {
      const groups = live(parent.name)
      if (groups) return groups.size - groups.count('running')
      let ended = 0
      for (const [status, n] of counts(parent)) if (status !== 'running') ended += n
      return ended
    },
    counts,
  }
}

/**
 * The items progress of a choice/foreach task from its groups' counts (GroupReader.counts), or
 * undefined when `parent` has no groups: what the Jobs page's detail shows of a Rill Flow job without
 * reading each of a foreach's groups (itemProgress over groupOutcomes reads all, up to 100k). Groups
 * not started yet (no row: not made) are `waiting` while the parent runs, `cancelled` once it ended;
 * a group still marked running under an ended parent counts as cancelled (groupOutcomes reads its
 * tasks to tell). `started` is left empty.
 */
export function itemCounts(parent: TaskRecord, groups: GroupReader): ItemProgress | undefined {
  const state = groupsOf(parent)
  if (!state) return undefined
  const counts = state.groups > 0 ? groups.counts(parent) : new Map<string, number>()
  const n = (s: string) => counts.get(s) ?? 0
  const p: ItemProgress = { total: state.groups, done: 0, succeeded: n('succeeded'), failed: n('failed'), running: 0, waiting: 0, cancelled: 0, skipped: n('skipped'), started: [] }
  const marked = n('running')
  const unstarted = Math.max(0, p.total - p.succeeded - p.failed - p.skipped - marked)
  if (parent.status === 'running' || parent.status === 'cancelling') {
    p.running = marked
    p.waiting = unstarted
  } else p.cancelled = marked + unstarted
  p.done = p.succeeded + p.failed
  return p
}

/**
 * A running execution's top-level foreach items, done (succeeded or failed, as itemCounts counts them)
 * of all (those not made yet included), summed over `parents` (its started foreach tasks, live), from
 * `live(parent)`, the engine's groups of each (TaskGroups keeps counts: nothing is read or scanned).
 * undefined when no parent has groups, or one's are not held live (then only the store could say).
 */
export function liveForeachItems(parents: readonly TaskRecord[], live: (parent: string) => Pick<TaskGroups, 'count'> | undefined): { done: number; total: number } | undefined {
  let done = 0
  let total = 0
  let any = false
  for (const parent of parents) {
    const state = groupsOf(parent)
    if (!state) continue
    const groups = live(parent.name)
    if (!groups) return undefined
    any = true
    total += state.groups
    done += groups.count('succeeded') + groups.count('failed')
  }
  return any ? { done, total } : undefined
}

/**
 * The items progress of an execution's top-level choice/foreach tasks that started, in task order,
 * from their groups' counts (itemCounts: no group read, a foreach may have 100k): the Jobs page's
 * detail of a Rill Flow job (JobDetail.items). `tasks`: those top-level tasks (service.ts itemsOfJob
 * reads only them), `categoryOf` their descriptor's category.
 */
export function jobItems(tasks: readonly TaskRecord[], groups: GroupReader, categoryOf: (task: string) => string): JobItems[] {
  return tasks.flatMap((t) => {
    if (routeOf(t) !== null) return []
    const progress = itemCounts(t, groups)
    return progress ? [{ task: t.name, category: categoryOf(t.name), progress }] : []
  })
}

/**
 * Each group's outcome in index order, or undefined when `parent` has no groups (not a choice/foreach,
 * or not started). `membersOf(route)` gives a group's tasks; it is asked only for a group still marked
 * running under a parent that has ended, so a view of the top-level tasks need not load all groups.
 */
export function groupOutcomes(parent: TaskRecord, groups: GroupReader, membersOf: (route: string) => readonly TaskRecord[]): GroupOutcome[] | undefined {
  const state = groupsOf(parent)
  if (!state) return undefined
  const statuses = state.groups > 0 ? groups.statuses(parent) : new Map<number, string>()
  return outcomesOf(parent, statuses, 0, state.groups, membersOf)
}

/**
 * The outcomes of groups `from` ≤ index < `to` of `parent` (a choice/foreach with groups), in index
 * order, as groupOutcomes gives them: a page, its statuses read by a seek of the group rows' key, for
 * a view that writes a wide foreach's groups a page at a time (get.json, #9 §2).
 */
export function groupOutcomesRange(parent: TaskRecord, groups: GroupReader, membersOf: (route: string) => readonly TaskRecord[], from: number, to: number): GroupOutcome[] {
  return outcomesOf(parent, groups.statusRange(parent, from, to), from, to, membersOf)
}

/** The outcomes of groups `from` ≤ index < `to` of `parent`, from their `statuses` (by index). */
function outcomesOf(parent: TaskRecord, statuses: ReadonlyMap<number, string>, from: number, to: number, membersOf: (route: string) => readonly TaskRecord[]): GroupOutcome[] {
  const live = parent.status === 'running' || parent.status === 'cancelling'
  return Array.from({ length: Math.max(0, to - from) }, (_, k): GroupOutcome => {
    const i = from + k
    const settled = statuses.get(i)
    if (settled === 'succeeded' || settled === 'failed' || settled === 'skipped') return settled
    if (settled === undefined) return live ? 'waiting' : 'not_run'
    if (live) return 'running'
    const members = membersOf(routeName(parent.name, i))
    if (members.some((t) => FAILURES.has(t.status))) return 'failed'
    if (members.length > 0 && members.every((t) => t.status === 'skipped')) return 'skipped'
    return members.every((t) => t.status === 'succeeded' || t.status === 'skipped') ? 'succeeded' : 'cancelled'
  })
}

/** Counts of the outcomes: done/total items, and how many failed, were cancelled or skipped. */
export function itemProgress(outcomes: readonly GroupOutcome[]): ItemProgress {
  const p: ItemProgress = { total: outcomes.length, done: 0, succeeded: 0, failed: 0, running: 0, waiting: 0, cancelled: 0, skipped: 0, started: [] }
  outcomes.forEach((o, i) => {
    if (o === 'not_run') p.cancelled++
    else p[o]++
    if (o !== 'waiting' && o !== 'skipped' && o !== 'not_run') p.started.push(i)
  })
  p.done = p.succeeded + p.failed
  return p
}
