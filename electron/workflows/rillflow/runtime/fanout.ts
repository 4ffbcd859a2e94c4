// Large foreach fan-outs without freezing the process. A foreach over 100k items used to make
// every group's tasks and sub-context in one engine tick, rescan all group statuses each time one
// group ended (quadratic), and rewrite every group's status and sub-context on every tick: the
// server did not answer for seconds at a time. Groups now start in batches of FANOUT_BATCH, the
// next batch in a later tick (JobControl.defer); each group is a row of its own (JobControl.groups),
// counted by status as it changes, so a tick writes only the groups it started or ended.

import type { JobControl } from '../../../engine/driver'
import type { TaskGroups } from '../../../engine/task-groups'
import type { TaskRecord } from '../../../store/job.repository'
import { routeName, subContextKey } from './names'

/** A group's state (a row of JobControl.groups). */
export type GroupStatus = 'running' | 'succeeded' | 'failed' | 'skipped'

/**
 * Most groups started by one call; more start in a later tick. A batch cannot be cut short by the
 * tick's budget, so it is small: 25 groups (their tasks' inserts, their rows) are a few ms, where
 * 100 held one turn 50–300 ms under load (#9 §2).
 */
export const FANOUT_BATCH = 25

/**
 * The groups of a choice/foreach task. An execution stored before groups had rows of their own kept
 * their statuses in the parent's runtime (`status`) and their sub-contexts in the context
 * (`__<route>`): those move into rows the first time the groups are read.
 */
export function groupTable(ctl: JobControl, parent: TaskRecord): TaskGroups {
  const groups = ctl.groups(parent.name)
  const legacy = parent.runtime?.status as Record<string, GroupStatus> | undefined
  if (groups.size > 0 || !legacy || typeof legacy !== 'object') return groups
  const root = ctl.job.context ?? {}
  for (const [i, status] of Object.entries(legacy)) {
    const key = subContextKey(routeName(parent.name, Number(i)))
    const context = root[key]
    groups.set(Number(i), { status, context: context && typeof context === 'object' ? (context as Record<string, unknown>) : null })
    delete root[key]
  }
  const { status: _status, started: _started, ...runtime } = parent.runtime!
  parent.runtime = runtime
  ctl.taskChanged(parent.name)
  ctl.contextChanged()
  return groups
}
