// A job's labels are kept in its row's labels column, which every listing of jobs reads and parses
// (the Jobs page, the native /api/v1/jobs, Linkis job history, the GES job center) and every
// job.changed event carries: unbounded, 20 Linkis submits of 3,500 labels made one page of the
// jobs list a 75 MB answer holding the server 3.1 s (atk29, #9 §2). The engine asks every job it is
// given (assertJobLabels in Engine.submitMany, beside assertJobName), so no way of making a job
// (script, Linkis, Rill Flow, GES, TuGraph, graph workflow, rerun) can miss it; a dialect whose
// clients choose labels checks them first with labelsProblem, naming them as its clients do; a list
// of jobs reads the labels of a job stored before these bounds trimmed to them (store/jobs/job-records.ts).

import { invalid } from './errors'

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
const shown = (key: string): string => (key.length > 40 ? `"${key.slice(0, 40)}…" (${key.length.toLocaleString('en')} characters)` : `"${key}"`)

/**
 * What is wrong with `labels` under `limits`, or null: too many labels (counted before anything is
 * read, so a body of 100,000 labels costs no more), a key longer than `keyChars` (the first one),
 * or keys and values past `bytes` together (naming the label that crosses it). Values that are not
 * strings count as nothing: a job's labels are strings, and a dialect refuses (or drops) others.
 */
export function labelsProblem(labels: Record<string, unknown>, limits: Readonly<LabelLimits> = JOB_LABEL_LIMITS): LabelProblem | null {
  const keys = Object.keys(labels)
  if (keys.length > limits.count) return { key: null, message: `${keys.length.toLocaleString('en')} labels, more than the ${limits.count} a job may have` }
  let bytes = 0
  for (const key of keys) {
    if (key.length > limits.keyChars) return { key, message: `key ${shown(key)} is longer than ${limits.keyChars} characters` }
    const value = labels[key]
    bytes += utf8Bytes(key) + (typeof value === 'string' ? utf8Bytes(value) : 0)
    if (bytes > limits.bytes) return { key, message: `label ${shown(key)} brings keys and values past ${limits.bytes.toLocaleString('en')} bytes (UTF-8)` }
  }
  return null
}

/** `labels` when labelsProblem finds nothing under JOB_LABEL_LIMITS; else throws AppError invalid `labels_too_large` for the field `labels` (or `labels.<key>`). */
export function assertJobLabels<T extends Record<string, unknown> | undefined>(labels: T): T {
  const problem = labels && labelsProblem(labels)
  if (problem) throw invalid('labels_too_large', `labels: ${problem.message}`, problem.key === null ? 'labels' : `labels.${problem.key.slice(0, 128)}`)
  return labels
}
