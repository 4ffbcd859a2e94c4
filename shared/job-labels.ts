// A job's labels are kept in its row's labels column, which every listing of jobs reads and parses
// (the Jobs page, the native /api/v1/jobs, Linkis job history, the GES job center) and every
// job.changed event carries: unbounded, 20 Linkis submits of 3,500 labels made one page of the
// jobs list a 75 MB answer holding the server 3.1 s (atk29, #9 §2). The engine asks every job it is
// given (assertJobLabels in Engine.submitMany, beside assertJobName), so no way of making a job
// (script, Linkis, Rill Flow, GES, TuGraph, graph workflow, rerun) can miss it; a dialect whose
// clients choose labels checks them first with labelsProblem, naming them as its clients do. A job
// stored before these bounds keeps its labels, but is shown with those of them that fit (fitJobLabels:
// lists, job history and events, trimmed in SQLite by store/jobs/job-records.ts listedLabels), and a
// rerun of it takes those that fit and says in its log which it left out.

import { invalid } from './errors'
import { formatCount } from './number-format'

const utf8 = new TextEncoder()
/** UTF-8 bytes of `text`. */
const utf8Bytes = (text: string): number => utf8.encode(text).length

/** The bounds of one job's labels. */
export interface LabelLimits {
  /** The longest key, in UTF-16 units. */
  keyChars: number
  /** How many labels. */
  count: number
  /** Keys and values together, in UTF-8 bytes. */
  bytes: number
}

/**
 * The bounds of every job's labels. 64 labels: Linkis clients send about a dozen (engineType,
 * userCreator, executeOnce, codeType, the timeouts, tenant, yarnCluster…; jobapis.md §A.3), JobDesk
 * adds up to eight of its own. 64 KiB: room for a Rill Flow callback config (a query parameter,
 * under the 16 KiB header limit) beside the rest; a list page of 50 jobs stays a few MB at worst.
 */
export const JOB_LABEL_LIMITS: Readonly<LabelLimits> = Object.freeze({ keyChars: 128, count: 64, bytes: 64 * 1024 })

/** What is wrong with a set of labels: the label it concerns (null for their number) and a sentence. */
export interface LabelProblem {
  key: string | null
  message: string
}

/** A key shown in a message: at most 40 characters of it, and its length when longer. */
const shown = (key: string): string => (key.length > 40 ? `"${key.slice(0, 40)}…" (${formatCount(key.length)} characters)` : `"${key}"`)

/**
 * What is wrong with `labels` under `limits`, or null: too many labels (counted before anything is
 * read, so a body of 100,000 labels costs no more), a key longer than `keyChars` (the first one),
 * or keys and values past `bytes` together (naming the label that crosses it). Values that are not
 * strings count as nothing: a job's labels are strings, and a dialect refuses (or drops) others.
 */
export function labelsProblem(labels: Record<string, unknown>, limits: Readonly<LabelLimits> = JOB_LABEL_LIMITS): LabelProblem | null {
  const keys = Object.keys(labels)
  if (keys.length > limits.count) return { key: null, message: `${formatCount(keys.length)} labels, more than the ${limits.count} a job may have` }
  let bytes = 0
  for (const key of keys) {
    if (key.length > limits.keyChars) return { key, message: `key ${shown(key)} is longer than ${limits.keyChars} characters` }
    const value = labels[key]
    bytes += utf8Bytes(key) + (typeof value === 'string' ? utf8Bytes(value) : 0)
    if (bytes > limits.bytes) return { key, message: `label ${shown(key)} brings keys and values past ${formatCount(limits.bytes)} bytes (UTF-8)` }
  }
  return null
}

/** `labels` when labelsProblem finds nothing under JOB_LABEL_LIMITS; else throws AppError invalid `labels_too_large` for the field `labels` (or `labels.<key>`). */
export function assertJobLabels<T extends Record<string, unknown> | undefined>(labels: T): T {
  const problem = labels && labelsProblem(labels)
  if (problem) throw invalid('labels_too_large', `labels: ${problem.message}`, problem.key === null ? 'labels' : `labels.${problem.key.slice(0, 128)}`)
  return labels
}

/** The longest label value fitJobLabels keeps (as Linkis bounds one); a longer one is left out, never cut. */
export const FITTED_VALUE_CHARS = 1000

/** Labels that fit the bounds (fitJobLabels), and the keys of those left out, in their order. */
export interface FittedLabels {
  labels: Record<string, string>
  dropped: string[]
}

/**
 * `labels` trimmed to `limits`: themselves when labelsProblem finds nothing; else JobDesk's own first
 * (keys not starting with `label.`: dialect, executeUser, engineType…), then a client's `label.*`,
 * each in its order, and each whole or not at all: a key longer than `limits.keyChars` or a value
 * longer than FITTED_VALUE_CHARS (or not a string) is left out; of the others, those from the first
 * that would be one past `limits.count` or bring keys and values past `limits.bytes` on. What a list of jobs shows of a job stored
 * before the bounds (store/jobs/job-records.ts listedLabels is the same rule in SQL: keep them alike).
 */
export function fitJobLabels(labels: Record<string, string>, limits: Readonly<LabelLimits> = JOB_LABEL_LIMITS): FittedLabels {
  if (labelsProblem(labels, limits) === null) return { labels, dropped: [] }
  const keys = Object.keys(labels)
  const ordered = [...keys.filter((k) => !k.startsWith('label.')), ...keys.filter((k) => k.startsWith('label.'))]
  const kept: Record<string, string> = {}
  const dropped: string[] = []
  let count = 0
  let bytes = 0
  let full = false // once a label that may be kept does not fit, none after it is kept (as SQL's running sum)
  for (const key of ordered) {
    const value = labels[key]
    const keepable = key.length <= limits.keyChars && typeof value === 'string' && value.length <= FITTED_VALUE_CHARS
    const size = keepable ? utf8Bytes(key) + utf8Bytes(value) : 0
    if (keepable && !full && count < limits.count && bytes + size <= limits.bytes) {
      kept[key] = value
      count++
      bytes += size
    } else {
      if (keepable) full = true
      dropped.push(key)
    }
  }
  return { labels: kept, dropped }
}

/** How many dropped keys droppedLabelsText names; the rest are counted. */
const NAMED_DROPPED = 10

/**
 * A sentence saying which labels fitJobLabels left out (its `dropped`), for a job's log: the first ten
 * keys named (each cut at 40 characters), the rest counted, and the bounds they did not fit.
 */
export function droppedLabelsText(dropped: readonly string[]): string {
  const { count, keyChars, bytes } = JOB_LABEL_LIMITS
  const named = dropped.slice(0, NAMED_DROPPED).map(shown).join(', ')
  const more = dropped.length > NAMED_DROPPED ? ` and ${formatCount(dropped.length - NAMED_DROPPED)} more` : ''
  return (
    `${formatCount(dropped.length)} label${dropped.length === 1 ? '' : 's'} left out, past a job's bounds ` +
    `(${count} labels, keys of ${keyChars} characters, values of ${formatCount(FITTED_VALUE_CHARS)}, ${formatCount(bytes)} bytes together): ${named}${more}`
  )
}

/** Labels as a list or an event shows them: fitJobLabels's, each set fitted once (a running job's are shown at every change). */
export function listedJobLabels(labels: Record<string, string>): Record<string, string> {
  let listed = listedOnce.get(labels)
  if (!listed) listedOnce.set(labels, (listed = fitJobLabels(labels).labels))
  return listed
}
const listedOnce = new WeakMap<Record<string, string>, Record<string, string>>()
