import type { JobKind } from '../../../../shared/model'
import { counted, formatCount } from '../../../../shared/number-format'
import { STATUS_LABELS, TASK_STATUSES, type TaskStatus } from '../../../../shared/status'

/** A job kind as the UI names it; the API's value stays (a `dag` job is a graph workflow's run, the only kind of dag job). */
export const KIND_LABELS: Record<JobKind, string> = { script: 'script', workflow: 'workflow', dag: 'graph workflow', algorithm: 'algorithm', import: 'import' }

/** A time with its date and seconds, 24 h ("Dec 1, 2026, 00:22:19"): one job's facts and other single moments (a user's last sign-in), which always say the day. */
export const fullTime = (ms: number | null): string =>
  ms == null ? '—' : new Date(ms).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

/** A day as the lists write it before a time: "Nov 29". */
const shortDay = (d: Date): string => d.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
const isToday = (d: Date): boolean => new Date().toDateString() === d.toDateString()

/** A moment in a table (the Jobs table's Submitted): today's time, 24 h ("14:02:03"); an earlier day's with its day first ("Nov 29 14:02:03"). */
export function formatTime(ms: number | null): string {
  if (ms == null) return '—'
  const d = new Date(ms)
  const time = d.toLocaleTimeString(undefined, { hour12: false })
  return isToday(d) ? time : `${shortDay(d)} ${time}`
}

/**
 * A moment where a line has little room (the Workflows run panel's recent runs): today's time
 * ("14:02:03"), an earlier day's date alone as formatTime writes it ("Nov 29"). Pair it with
 * fullTime in a title, which says the rest.
 */
export function shortTime(ms: number | null): string {
  if (ms == null) return '—'
  const d = new Date(ms)
  return isToday(d) ? d.toLocaleTimeString(undefined, { hour12: false }) : shortDay(d)
}

/**
 * How long from `start` to `end` (to `now` while it runs), all epoch ms: "4 ms" below a second (a
 * run of quick tasks reads apart, not all "0.0 s"), "2.5 s", "14 s", "3 min 5 s", "2 h 10 min";
 * "—" when it has not started. The one duration format of the job, script and workflow views.
 */
export function formatDuration(start: number | null, end: number | null, now = Date.now()): string {
  if (start == null) return '—'
  const ms = Math.max(0, (end ?? now) - start)
  if (ms < 999.5) return `${Math.round(ms)} ms`
  const s = ms / 1000
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m} min ${Math.round(s % 60)} s`
  return `${Math.floor(m / 60)} h ${m % 60} min`
}



/**
 * How many of a job's tasks are in each state, states in their lifecycle order (TASK_STATUSES) and
 * those with none left out: `(3001, {succeeded: 2990, failed: 11})` → "3,001 tasks: 2,990 succeeded · 11 failed".
 */
export function taskCountsText(total: number, counts: Partial<Record<TaskStatus, number>>): string {
  return `${counted(total, 'task')}: ${taskCountParts(counts).map((p) => p.text).join(' · ')}`
}

/** The states some of a job's tasks are in, in lifecycle order (TASK_STATUSES), each with its count as taskCountsText writes it: `{failed: 11}` → `[{status: 'failed', count: 11, text: '11 failed'}]`. */
export function taskCountParts(counts: Partial<Record<TaskStatus, number>>): { status: TaskStatus; count: number; text: string }[] {
  return TASK_STATUSES.filter((s) => (counts[s] ?? 0) > 0).map((s) => ({ status: s, count: counts[s]!, text: `${formatCount(counts[s]!)} ${STATUS_LABELS[s]}` }))
}
