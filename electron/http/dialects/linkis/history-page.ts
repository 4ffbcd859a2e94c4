// A page of jobhistory (list, listundonetasks) or one job ({taskID}/get) as its `data`: the jobs' QueryTaskVOs, code cut at
// LIST_CODE_LIMIT, and the total. Built on the main thread when the page's stored values are small,
// else in a worker thread (linkis-history-worker.ts): a job's input may be 4 MB (a TuGraph import of
// 1,000 long paths, a 4 MB script), and thirty of them parsed held the main thread 4.6 s (#9 §2).
import type { HistoryQuery, JobRepository } from '../../../store/job.repository'
import { listTaskVO, queryTaskVO } from './mappers'

/** `{tasks, totalPage}` of a history page (upstream's totalPage is the total row count). */
export function historyPage(jobs: JobRepository, query: HistoryQuery): { tasks: Record<string, unknown>[]; totalPage: number } {
  const { items, total } = jobs.history(query)
  return { tasks: items.map((job) => listTaskVO(job, jobs.waitsForRetry)), totalPage: total }
}

/** What a history worker builds: a page of the list, or one job's `{task}` ({taskID}/get; undefined when it is gone). */
export type HistoryView = { page: HistoryQuery } | { task: number; brief: boolean }

/** The `data` of a history view (historyPage, or {taskID}/get's `{task}` with its whole code). */
export function historyView(jobs: JobRepository, view: HistoryView): Record<string, unknown> | undefined {
  if ('page' in view) return historyPage(jobs, view.page)
  const job = jobs.historyJob(view.task)
  return job && { task: queryTaskVO(job, jobs.waitsForRetry, view.brief) }
}
