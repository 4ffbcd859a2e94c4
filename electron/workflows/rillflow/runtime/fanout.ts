// Large foreach fan-outs without freezing the process. A foreach over 100k items used to make
// every group's tasks and sub-context in one engine tick, and rescan all group statuses each time
// one group ended (quadratic): the server did not answer for ~15 minutes. Groups now start in
// batches of FANOUT_BATCH, the next batch in a later tick (JobControl.defer), and group counts
// are kept as statuses change instead of being recounted.

/** A group's state in its parent's runtime (groups.ts). */
export type GroupStatus = 'running' | 'succeeded' | 'failed' | 'skipped'

/** Most groups started by one call; more start in a later tick. */
export const FANOUT_BATCH = 100

export interface GroupCounts {
  /** Groups with a status (started, or skipped by a choice). */
  known: number
  running: number
  failed: number
}

// Kept per status map (the object survives runtime copies `{...runtime}`; a map read back from the
// store is a new object and is counted afresh, once). Every status write goes through setGroupStatus.
const counted = new WeakMap<Record<number, GroupStatus>, GroupCounts>()

/** The counts of a status map: derived once, then kept by setGroupStatus. */
export function groupCounts(status: Record<number, GroupStatus>): GroupCounts {
  let counts = counted.get(status)
  if (!counts) {
    counts = { known: 0, running: 0, failed: 0 }
    for (const s of Object.values(status)) add(counts, s, 1)
    counted.set(status, counts)
  }
  return counts
}

/** Sets a group's status, keeping its counts. */
export function setGroupStatus(status: Record<number, GroupStatus>, group: number, to: GroupStatus): void {
  const counts = groupCounts(status)
  const from = status[group]
  if (from !== undefined) add(counts, from, -1)
  status[group] = to
  add(counts, to, 1)
}

function add(counts: GroupCounts, s: GroupStatus, n: number): void {
  counts.known += n
  if (s === 'running') counts.running += n
  if (s === 'failed') counts.failed += n
}
