// Imports as engine tasks (executor `import`): resolves the files in the user's upload folder,
// runs the import in a graph worker, forwards progress (bytes read / bytes in all files) and log
// lines, and writes the per-file report as the task's output and as two result sets. Resumable:
// every package commits together with the task's record in the graph file, so after a crash the
// engine runs the task again and it carries on after the last committed package.
import { rmSync } from 'node:fs'
import type { FileMapping, ImportReport } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { TaskFailure, type Executor, type TaskContext } from '../../engine/executor'
import type { JobRepository } from '../../store/job.repository'
import type { ResultRepository } from '../../store/result.repository'
import type { Store } from '../../store'
import { requireTaskGraphWrite, type GraphWrite, type RunRights } from '../graph-rights'
import type { GraphHost } from '../worker/graph-host'
import { requireImportFileCount, resolveImportFiles } from './import-files'
import type { ImportInput } from './import-run'
import { importReadFraction, importReason } from './report'

export const IMPORT_EXECUTOR = 'import'
/** The one task of an import job. */
export const IMPORT_TASK = 'import'

/** An import as stored with its job: checked, with defaults applied. */
export interface ImportJobRequest {
  graph: string
  /** Whose upload folder holds the files. */
  user: string
  files: FileMapping[]
  delimiter: string
  continueOnError: boolean
  skipPackages: number
  deleteFiles: boolean
  packageBytes?: number
}

/** The task spec holds the request as submitted; a resume by task id puts a newer one in the job's context. */
export interface ImportTaskSpec {
  request: ImportJobRequest
}

/** What an import task writes: the graph it imports into (checked for its user each time it runs). */
export function importGraphWrite(spec: ImportTaskSpec): GraphWrite {
  return { graph: spec.request.graph, action: 'import into' }
}

/** `rights`/`userOf`: the import's user must be allowed to change its graph when the task runs, not only when it was submitted. */
export interface ImportExecutorDeps extends RunRights {
  dataDir: string
  host: GraphHost
  jobs: Pick<JobRepository, 'get'>
  results: ResultRepository
  /** Writes the report again while the store is locked by another program (Store.whileBusy). */
  store: Pick<Store, 'whileBusy'>
}

export function createImportExecutor(deps: ImportExecutorDeps): Executor {
  return {
    name: IMPORT_EXECUTOR,
    resumable: true,
    async run(ctx) {
      const request = requestOf(deps, ctx)
      // the job's user (its submitter; a rerun's is whoever asked for it), now: the graph may have
      // been dropped and made anew by someone else since it was submitted (#9 §3)
      await requireTaskGraphWrite(deps, deps.jobs.get(ctx.jobId)?.submitter ?? request.user, importGraphWrite({ request }))
      let files: ImportInput['files']
      try {
        requireImportFileCount(deps.dataDir, request.user, request.files) // a folder may have grown since the submit counted it
        files = resolveImportFiles(deps.dataDir, request.user, request.files)
      } catch (e) {
        if (!isAppError(e)) throw e
        throw new TaskFailure(importReason(e.message, []), false)
      }
      const input: ImportInput = {
        dataDir: deps.dataDir,
        graph: request.graph,
        taskId: ctx.jobUuid,
        files,
        delimiter: request.delimiter,
        continueOnError: request.continueOnError,
        skipPackages: request.skipPackages,
        packageBytes: request.packageBytes,
      }
      const end = await deps.host.runImport(input, {
        user: request.user,
        signal: ctx.signal,
        onEvent(e) {
          if (e.type === 'log') ctx.log(e.level, e.text)
          else if (e.bytesTotal > 0) ctx.progress?.(importReadFraction(e)!)
        },
      })
      if (end.outcome === 'interrupted') throw new TaskFailure(`interrupted (signal ${String(ctx.signal.reason)}); the task resumes on the next start`, true)
      // the graph holds the data now: a store locked by another program must not fail (and re-run) the import
      await deps.store.whileBusy(
        () => writeResults(deps.results, ctx, end.report),
        (e) => ctx.log('WARN', `the import's report waits to be stored: ${(e as Error).message} (another program or connection holds the database's lock)`),
      )
      if (end.outcome === 'succeeded') {
        if (request.deleteFiles) deleteFiles(ctx, files)
        return { output: end.report }
      }
      // its job's progress is the bytes it read, as the import's status says, failed or cancelled as well
      // (the engine would count a failed task as none of it: 0 on the Jobs page, 100% on the Imports page)
      throw new TaskFailure(end.outcome === 'cancelled' ? 'cancelled' : (end.reason ?? 'the import failed'), false, end.report, importReadFraction(end.report))
    },
  }
}

function requestOf(deps: ImportExecutorDeps, ctx: TaskContext): ImportJobRequest {
  const context = deps.jobs.get(ctx.jobId)?.context as { importRequest?: ImportJobRequest } | null | undefined
  return context?.importRequest ?? (ctx.spec as unknown as ImportTaskSpec).request
}

function deleteFiles(ctx: TaskContext, files: ImportInput['files']): void {
  for (const f of files) {
    try {
      rmSync(f.file, { force: true })
    } catch (e) {
      ctx.log('WARN', `could not delete ${f.mapping.path}: ${(e as Error).message}`)
    }
  }
  ctx.log('INFO', `deleted the imported files: ${files.map((f) => f.mapping.path).join(', ')}`)
}

export const FILE_REPORT_COLUMNS = ['file', 'label', 'kind', 'state', 'lines', 'imported', 'failed', 'rolled_back', 'skipped', 'blank_lines', 'notes']
export const FAILED_LINE_COLUMNS = ['file', 'line', 'reason', 'text']

/** Result set 0: one row per file; result set 1: the failed lines kept (the first 100 per file, 1,000 in all). Run in one transaction (Store.whileBusy): all of it or none. */
function writeResults(results: ResultRepository, ctx: TaskContext, report: ImportReport): void {
  results.clear(ctx.jobId)
  const table = (names: string[], types: string[]) => results.create({ jobId: ctx.jobId, taskId: ctx.taskId, kind: 'table', columns: names.map((name, i) => ({ name, type: types[i] })) })
  const files = table(FILE_REPORT_COLUMNS, ['STRING', 'STRING', 'STRING', 'STRING', 'INT64', 'INT64', 'INT64', 'INT64', 'INT64', 'INT64', 'STRING'])
  results.append(
    files,
    0,
    report.files.map((f) => [f.path, f.label, f.kind, f.state, f.lines, f.imported, f.failed, f.rolledBack, f.skipped, f.blankLines, f.notes.join('; ')]),
  )
  const failed = table(FAILED_LINE_COLUMNS, ['STRING', 'INT64', 'STRING', 'STRING'])
  const rows = report.files.flatMap((f) => f.failures.map((l) => [f.path, l.line, l.reason, l.text]))
  for (let i = 0; i < rows.length; i += 1000) results.append(failed, i, rows.slice(i, i + 1000))
}
