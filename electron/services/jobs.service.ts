import { randomUUID } from 'node:crypto'
import { SCRIPT_LANGUAGES, type JobListQuery, type JobRef, type LogPage, type LogQuery, type ResultPage, type ResultSetInfo, type SubmitScriptJob } from '../../shared/api'
import { csvLine } from './csv'
import { substituteVariables } from './script-variables'
import { AppError, invalid, notFound } from '../../shared/errors'
import { JOB_KINDS, type JobDetail, type JobSummary } from '../../shared/model'
import { JOB_STATUSES } from '../../shared/status'
import type { Engine } from '../engine/engine'
import type { JobRecord, NewTask } from '../store/job.repository'
import { toJobSummary, toTaskView } from '../store/job.repository'
import type { UserRecord } from '../store/user.repository'
import type { Store } from '../store'

const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600
const MAX_LOG_PAGE = 5000

export type JobsService = ReturnType<typeof createJobsService>

export const newJobUuid = (): string => randomUUID()

export function createJobsService(store: Store, engine: Engine) {
  const find = (id: number): JobRecord => {
    const job = Number.isInteger(id) ? store.jobs.get(id) : undefined
    if (!job) throw notFound('job', id)
    return job
  }
  const ref = (job: JobRecord): JobRef => ({ id: job.id, uuid: job.uuid, status: job.status })
  const resultSet = (id: number, index: number) => {
    find(id)
    const set = Number.isInteger(index) ? store.results.get(id, index) : undefined
    if (!set) throw notFound('result set', `${id}/${index}`)
    return set
  }

  return {
    /** `options.labels` lets a dialect mark the job as its own (Linkis keeps its creator and engine there). */
    submitScript(p: SubmitScriptJob, actor: UserRecord, options: { labels?: Record<string, string>; input?: Record<string, unknown> } = {}): JobRef {
      if (p?.type !== 'script') throw invalid('unsupported_type', 'type must be "script"', 'type')
      if (!SCRIPT_LANGUAGES.includes(p.language)) {
        throw invalid('unsupported_language', `language "${String(p.language)}" is not supported; use one of ${SCRIPT_LANGUAGES.join(', ')}`, 'language')
      }
      if (typeof p.code !== 'string' || !p.code.trim()) throw invalid('missing_code', 'code must be a non-empty string', 'code')
      const timeout = p.timeoutSeconds
      if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || timeout > MAX_TIMEOUT_SECONDS)) {
        throw invalid('bad_timeout', `timeoutSeconds must be a number between 0 and ${MAX_TIMEOUT_SECONDS}`, 'timeoutSeconds')
      }
      const retries = p.retries ?? 0
      if (!Number.isInteger(retries) || retries < 0 || retries > 10) throw invalid('bad_retries', 'retries must be an integer from 0 to 10', 'retries')
      const name = typeof p.name === 'string' && p.name.trim() ? p.name.trim().slice(0, 200) : firstLine(p.code)
      const code = substituteVariables(p.code, p.variables)
      const task: NewTask = {
        name: 'main',
        executor: p.language, // one executor per language: shell, python, sql, cypher
        spec: { code, language: p.language, user: options.labels?.executeUser ?? actor.username },
        timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
        maxAttempts: retries + 1,
      }
      const input = { language: p.language, code: p.code, ...(p.variables ? { variables: p.variables } : {}), ...options.input }
      return ref(engine.submit({ uuid: newJobUuid(), kind: 'script', name, submitter: actor.username, input, labels: options.labels }, [task]))
    },

    results(id: number): ResultSetInfo[] {
      find(id)
      const names = new Map(store.jobs.tasks(id).map((t) => [t.id, t.name]))
      return store.results.list(id).map((r) => ({ index: r.index, kind: r.kind, columns: r.columns, rowCount: r.rowCount, task: r.taskId == null ? null : (names.get(r.taskId) ?? null) }))
    },

    resultPage(id: number, index: number, offset = 0, limit = 100): ResultPage {
      const set = resultSet(id, index)
      return { index, columns: set.columns, rows: store.results.rows(set, offset, Math.min(limit, MAX_LOG_PAGE)), total: set.rowCount, offset }
    },

    exportResult(id: number, index: number, limit = 100_000): { fileName: string; csv: string; truncated: boolean } {
      const set = resultSet(id, index)
      const lines = [csvLine(set.columns.map((c) => c.name))]
      for (let offset = 0; offset < Math.min(set.rowCount, limit); offset += 5000) {
        for (const row of store.results.rows(set, offset, Math.min(5000, limit - offset))) lines.push(csvLine(row))
      }
      return { fileName: `job-${id}-result-${index}.csv`, csv: `${lines.join('\r\n')}\r\n`, truncated: set.rowCount > limit }
    },

    list(q: JobListQuery): { items: JobSummary[]; total: number } {
      if (q.status !== undefined && !JOB_STATUSES.includes(q.status)) {
        throw invalid('bad_status', `status must be one of ${JOB_STATUSES.join(', ')}`, 'status')
      }
      if (q.type !== undefined && !JOB_KINDS.includes(q.type)) throw invalid('bad_type', `type must be one of ${JOB_KINDS.join(', ')}`, 'type')
      const limit = Math.min(Math.max(q.limit ?? 50, 1), 500)
      return store.jobs.list({ ...q, limit, offset: Math.max(q.offset ?? 0, 0) })
    },

    get(id: number): JobDetail {
      const job = find(id)
      const tasks = store.jobs.tasks(id)
      return { ...toJobSummary(job, tasks.length), input: job.input, result: job.result, tasks: tasks.map(toTaskView), log: store.logs.info(id) }
    },

    /** A page of a job's log (see LogQuery) with the count of lines matching its filters. */
    logs(q: LogQuery): LogPage {
      find(q.id)
      const { from = 0, before, size = 1000 } = q
      if (!Number.isInteger(from) || from < 0) throw invalid('bad_from', 'from must be a non-negative integer', 'from')
      if (before !== undefined && (!Number.isInteger(before) || before < 0)) throw invalid('bad_before', 'before must be a non-negative integer', 'before')
      if (!Number.isInteger(size) || size < 1) throw invalid('bad_size', 'size must be a positive integer', 'size')
      const task = q.task || undefined
      const text = q.text || undefined
      const page = store.logs.page(q.id, { from, before, tail: q.tail === true, size: Math.min(size, MAX_LOG_PAGE), task, text })
      return { ...page, total: store.logs.count(q.id, task, text) }
    },

    /** The whole stored log as text (a cut log has at most its head, the note and its tail). */
    logText(id: number, task?: string): { fileName: string; text: string; lines: number } {
      find(id)
      const out: string[] = []
      for (let from = 0; ; ) {
        const page = store.logs.page(id, { from, size: MAX_LOG_PAGE, task: task || undefined })
        for (const l of page.lines) out.push(`${new Date(l.time).toISOString()} ${l.level.padEnd(5)} ${l.task ? `[${l.task}] ` : ''}${l.text}`)
        if (page.lines.length < MAX_LOG_PAGE) break
        from = page.next
      }
      const suffix = task ? `-${task.replace(/[^\w.-]+/g, '_')}` : ''
      return { fileName: `job-${id}${suffix}.log`, text: out.length ? `${out.join('\n')}\n` : '', lines: out.length }
    },

    cancel(id: number, actor: UserRecord): JobSummary {
      const job = find(id)
      if (job.submitter !== actor.username && !actor.isAdmin) {
        throw new AppError('forbidden', 'not_your_job', `job ${id} was submitted by ${job.submitter}; only they or an admin may cancel it`)
      }
      return engine.cancel(id)
    },

    /** Runs the same tasks again as a new job; the old one stays as it was. */
    rerun(id: number, actor: UserRecord): JobRef {
      const old = find(id)
      const tasks: NewTask[] = store.jobs.tasks(id).map((t) => ({
        name: t.name,
        executor: t.executor,
        dependsOn: t.dependsOn,
        spec: t.spec,
        maxAttempts: t.maxAttempts,
        timeoutMs: t.timeoutMs,
        backoffMs: t.backoffMs,
        input: t.input,
      }))
      const labels = { ...old.labels, rerunOf: String(old.id) }
      const job = { uuid: newJobUuid(), kind: old.kind, name: old.name, submitter: actor.username, input: old.input, labels }
      return ref(engine.submit(job, tasks))
    },
  }
}

function firstLine(code: string): string {
  const line = code.trim().split('\n')[0].trim()
  return line.length > 80 ? `${line.slice(0, 77)}...` : line
}
