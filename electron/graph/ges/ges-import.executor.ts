// GES import-graph as an engine task (executor `ges-import`, in a job of kind `import`): GES's
// CSV formats (vertex lines `id,label,props…`, edge lines `src,dst,label,props…`, any labels mixed
// in one file) are split into one file per label (edges per label and endpoint labels) in a graph
// worker (ges-split.ts: no line is read or written on the main thread), the labels
// the data needs are created from the schema XML, and the files go through the same import engine
// as TuGraph's (GraphHost.runImport). job_detail's per-file counts add the lines the split refused
// (unknown label, missing columns, an edge whose vertex is in none of the files) to the lines the
// import failed. The split files live in the user's folder under `.ges-import/<job>/` (makeWorkDir)
// until the end, when a graph worker removes them (GraphHost.removeGesWorkDir: 20,000 files removed
// on the main thread held it 250-450 ms); their names are counters the split makes (ges-split.ts
// workFile), never a label.
import { mkdirSync, realpathSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { NO_LINES_TO_IMPORT, type FileMapping } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { counted, formatCount, formatSize } from '../../../shared/number-format'
import { importReadFraction, liveBytes } from '../import/report'
import { TaskFailure, type Executor, type TaskContext } from '../../engine/executor'
import { failureCause, graphError, type FailureCause } from '../errors'
import { requireGraphWrite, type GraphWrite, type RunRights } from '../graph-rights'
import { gesImportProgress, nothingImported, SPLIT_SHARE, nothingImportedReason, type GesFileDetail, type GesImportOutput } from './ges-report'
import { resolveUploadPath, userUploadDir } from '../upload-paths'
import type { GraphHost } from '../worker/graph-host'
import { WORK_ROOT as WORK, type GesSplitInput, type GesSplitSource } from './ges-split'
import { GES_IMPORT_FIELDS, type GesImportFieldNames } from './ges-import-fields'

export const GES_IMPORT_EXECUTOR = 'ges-import'

/** An import-graph request as the GES dialect checked it: paths relative to the user's upload folder. */
export interface GesImportSpec {
  graph: string
  user: string
  schemaPath?: string
  vertexPaths: string[]
  edgePaths: string[]
  delimiter: string
  /** The request's names of its fields (GES_IMPORT_FIELDS of the client's version), which the task's errors name; v2's when absent (a job submitted before they were kept). */
  names?: GesImportFieldNames
}

/** What a GES import task writes: the graph it imports into (checked for its user each time it runs). */
export function gesGraphWrite(spec: GesImportSpec): GraphWrite {
  return { graph: spec.graph, action: 'import into' }
}

/** `rights`/`userOf`: the import's user must be allowed to change its graph when the task runs, not only when it was submitted. */
export interface GesImportDeps extends RunRights {
  dataDir: string
  host: GraphHost
}

/**
 * Makes the job's work folder `<user's upload folder>/.ges-import/<job uuid>` and returns its path.
 * Throws path_escapes when it would not be exactly there (`.ges-import` a symbolic link, even one
 * pointing inside the folder), so nothing is written elsewhere.
 */
export function makeWorkDir(dataDir: string, user: string, jobUuid: string): string {
  const root = userUploadDir(dataDir, user)
  const workDir = resolveUploadPath(dataDir, user, `${WORK}/${jobUuid}`) // refuses a link out before mkdir follows it
  mkdirSync(workDir, { recursive: true })
  if (realpathSync(workDir) !== join(realpathSync(root), WORK, jobUuid)) {
    throw graphError('path_escapes', `${WORK}/${jobUuid} is not a plain folder in your upload folder (a symbolic link in its path); the import writes nowhere else`)
  }
  return workDir
}

export function createGesImportExecutor(deps: GesImportDeps): Executor {
  return {
    name: GES_IMPORT_EXECUTOR,
    resumable: false, // after a crash the job fails and the next start removes its split files (ges-work-sweep.ts); it can be run again
    async run(ctx) {
      const spec = ctx.spec as unknown as GesImportSpec
      const work = `${WORK}/${ctx.jobUuid}`
      let workDir: string
      try {
        workDir = makeWorkDir(deps.dataDir, spec.user, ctx.jobUuid)
      } catch (e) {
        if (!isAppError(e)) throw e
        const output: GesImportOutput = { ges: { schema: [], edges: [], vertices: [] }, failure: failureCause(e) }
        throw new TaskFailure(e.message, false, output)
      }
      try {
        return await runGesImport(deps, ctx, spec, work, workDir)
      } finally {
        await deps.host.removeGesWorkDir(workDir).catch((e) => {
          // the graph service closed (shutdown past its grace) or its worker died: removed here then, the thread held or not
          ctx.log('WARN', `the import worker did not remove ${work}: ${(e as Error).message}; removing it here`)
          return rm(workDir, { recursive: true, force: true })
        })
      }
    },
  }
}

async function runGesImport(deps: GesImportDeps, ctx: TaskContext, spec: GesImportSpec, work: string, workDir: string) {
  const output: GesImportOutput = { ges: { schema: [], edges: [], vertices: [] } }
  const names = spec.names ?? GES_IMPORT_FIELDS.v2
  /**
   * Fails the task with the report so far and, when known, the cause (GES's errorCode for the job); its
   * progress the share of the files the import read (output.bytes once it ran), 0 before: the split's
   * share counts only for what the import took from it, so a stop mid-import reads what was done, not 100%.
   */
  const fail = (message: string, cause?: FailureCause): never => {
    if (cause) output.failure = cause
    throw new TaskFailure(message, false, output, output.report ? (importReadFraction(output.bytes) ?? 0) : 0)
  }
  // the user's right to change the graph, now: it may have been dropped and made anew by someone else since (#9 §3)
  await requireGraphWrite(deps.rights, deps.userOf(spec.user), gesGraphWrite(spec)).catch((e) => fail((e as Error).message, failureCause(e)))
  // the schema file: resolved here, read and parsed with the split
  let schemaFile: string | undefined
  const schemaFailed = (message: string, cause: FailureCause): never => {
    const detail = output.ges.schema[0]
    detail.status = 'failed'
    detail.cause = message
    return fail(message, cause)
  }
  if (spec.schemaPath) {
    output.ges.schema.push({ path: spec.schemaPath, log: null, status: 'success', cause: null, total_lines: -1, failed_lines: -1, successful_lines: -1 })
    try {
      schemaFile = resolveUploadPath(deps.dataDir, spec.user, spec.schemaPath, { mustExist: true, mustBeFile: true, field: names.schemaPath }) // a folder: refused so, not EISDIR in the reader
    } catch (e) {
      schemaFailed((e as Error).message, isAppError(e) ? failureCause(e) : { kind: 'invalid', code: 'invalid_schema' })
    }
  }
  const info = await deps.host.request('graphs.get', { graph: spec.graph }, { user: spec.user }).catch((e) => fail(isAppError(e) ? e.message : String(e), failureCause(e)))
  const graphLabels = (['vertex', 'edge'] as const).flatMap((kind) =>
    info.labels.filter((l) => l.kind === kind).map((l): GesSplitInput['graphLabels'][number] => ({ kind, name: l.name, properties: l.def.properties.filter((p) => p.name !== 'id').map((p) => ({ name: p.name, type: p.type })) })),
  )
  // the files' listing and resolving (ges-sources.ts: folders of any size), the schema's read and
  // parse (the native name rule again: the file may have changed since the request) and the split
  // (reading, CSV fields, labels, writing the parts) run in a graph worker: ges-split.ts
  const split = await deps.host
    .runGesSplit(
      { dataDir: deps.dataDir, user: spec.user, vertexPaths: spec.vertexPaths, edgePaths: spec.edgePaths, names, workDir, delimiter: spec.delimiter, schema: schemaFile ? { path: spec.schemaPath!, file: schemaFile } : undefined, graphLabels },
      ctx.signal,
      // its figures while it reads (the status's phase `splitting`), and its share of the job's progress
      {
        taskId: ctx.jobUuid,
        graph: spec.graph,
        onProgress(p) {
          if (p.bytesTotal > 0) ctx.progress?.(gesImportProgress('splitting', p.bytesRead / p.bytesTotal))
        },
      },
    )
    .catch((e) => fail(isAppError(e) ? e.message : String(e), failureCause(e)))
  // every GES file counts, also one whose every line failed in the split (no part: the import's figures leave it out)
  output.bytes = { bytesDone: split.bytes.read, bytesTotal: split.bytes.total }
  if (split.schemaFailure) schemaFailed(split.schemaFailure.message, split.schemaFailure.cause)
  // by kind and name: a vertex label and an edge label of one name may have different properties
  const known = new Map(split.labels.map((l) => [`${l.kind}:${l.name}`, l]))
  const tallies: GesFileDetail[] = []
  const detailsOf = (sources: GesSplitSource[], list: GesFileDetail[]) =>
    sources.map((s) => {
      const detail: GesFileDetail = { path: s.path, log: null, status: null, cause: s.cause, total_lines: s.total_lines, failed_lines: s.failed_lines, successful_lines: 0 }
      list.push(detail)
      tallies.push(detail)
      return detail
    })
  const vertexDetails = detailsOf(split.vertices, output.ges.vertices)
  const edgeDetails = detailsOf(split.edges, output.ges.edges)
  // stopped while splitting: nothing imported, so none of the job done (its split's share was of work it would hand on)
  if (split.stopped) fail('cancelled')
  if (split.tooLarge) fail(split.tooLarge.message, split.tooLarge.cause)
  // the split is done (its last word may be up to SPLIT_PROGRESS_MS old): its whole share, and until the
  // import starts the status says it prepares, with the split's figures, not 0 B of 0 B
  ctx.progress?.(SPLIT_SHARE)
  const release = deps.host.holdLive(ctx.jobUuid, { graph: spec.graph, phase: 'preparing', bytesDone: split.bytes.read, bytesTotal: split.bytes.total })
  try {
    const partOwner = new Map<string, GesFileDetail>()
    for (const p of split.parts) partOwner.set(p.part, p.kind === 'vertex' ? vertexDetails[p.source] : edgeDetails[p.source])

    // the labels the data needs: checked against the graph's and those it lacks made, in one
    // transaction (ges-labels.ts), so every property the columns follow is one of the label's
    // vertex labels first, as the split lists them; refused (a label the graph has otherwise), the job fails with its files' report
    const created = await deps.host.request('ges.labels', { graph: spec.graph, labels: split.labels }, { user: spec.user }).catch((e) => fail(isAppError(e) ? e.message : String(e), failureCause(e)))
    if (created.length) ctx.log('INFO', `created labels ${created.join(', ')}`)
    const columnsOf = (kind: 'vertex' | 'edge', label: string): string[] => known.get(`${kind}:${label}`)!.properties.map((p) => p.name)
    // in the order the split made them: by source file, vertex files first; each by the path the
    // split made for it in the work folder (workFile), not resolved again in the upload folder here:
    // thousands of realpath, stat and path calls on this thread
    const parts: { mapping: FileMapping; file: string }[] = []
    for (const p of split.parts) {
      const path = `${work}/${p.part}`
      const mapping: FileMapping =
        p.kind === 'vertex'
          ? { path, format: 'CSV', label: p.label, columns: ['id', ...columnsOf('vertex', p.label)] }
          : { path, format: 'CSV', label: p.label, SRC_ID: p.src!, DST_ID: p.dst!, columns: ['SRC_ID', 'DST_ID', ...columnsOf('edge', p.label)] }
      parts.push({ mapping, file: p.file })
    }
    const settle = (outcomeFailed: boolean) => {
      for (const d of tallies) {
        // a file the job stopped inside (cancelled, failed) is in the graph only in part: never `success`,
        // which a GES client takes for the whole file (#9 gesattack: 776,625 of 1,500,000 lines said success)
        const cut = outcomeFailed && d.successful_lines > 0 && d.successful_lines + d.failed_lines < d.total_lines
        if (cut) d.cause ??= `the job stopped with ${formatCount(d.successful_lines)} of ${counted(d.total_lines, 'data line')} imported`
        // nothing of it went in because the job stopped (a cancel while it waited): `failed`, saying why, not a
        // red "failed" with no failed line and no cause beside a cancelled job
        else if (outcomeFailed && d.successful_lines === 0 && d.failed_lines === 0 && d.total_lines > 0) d.cause ??= `the job stopped before any of its ${counted(d.total_lines, 'data line')} were imported`
        d.status = outcomeFailed && d.successful_lines === 0 && d.total_lines > 0 ? 'failed' : d.failed_lines > 0 || cut ? (d.successful_lines > 0 ? 'partFailed' : 'failed') : 'success'
      }
    }
    // the lines the split could not place (a label not in the schema…): each file's first, as the split says it
    const errors = tallies.filter((d) => d.cause).map((d) => `${d.path}: ${d.cause}`)
    const failNothingImported = () => fail(nothingImportedReason(tallies, errors), { kind: 'invalid', code: 'invalid_value' })
    if (parts.length === 0) {
      settle(true)
      if (nothingImported(tallies)) failNothingImported()
      ctx.log('INFO', `${NO_LINES_TO_IMPORT} (${formatSize(split.bytes.total)} read)`) // said, not left to a "0 B of 0 B"
      return { output }
    }
    const end = await deps.host.runImport(
      { dataDir: deps.dataDir, graph: spec.graph, taskId: ctx.jobUuid, files: parts, delimiter: ',', continueOnError: true, skipPackages: 0 },
      {
        user: spec.user,
        signal: ctx.signal,
        sourceBytes: { read: split.bytes.read, total: split.bytes.total }, // the live figures in the client's files' bytes, as the ended job's (output.bytes)
        onEvent(e) {
          if (e.type === 'log') ctx.log(e.level, e.text)
          else if (e.bytesTotal > 0) ctx.progress?.(gesImportProgress('importing', e.bytesDone / e.bytesTotal))
        },
      },
    )
    output.report = end.report
    // stopped short: its bytes are those the import read, in the files' bytes as its live figures said them (not the split's, all read)
    if (end.outcome !== 'succeeded') output.bytes = liveBytes(end.report.bytesDone, end.report.bytesTotal, split.bytes)
    for (const f of end.report.files) {
      const part = f.path.slice(work.length + 1)
      const d = partOwner.get(part)
      if (!d) continue
      d.successful_lines += f.imported
      d.failed_lines += f.failed + f.rolledBack
      if (f.failures[0] && !d.cause) d.cause = `${f.failures[0].reason}: ${f.failures[0].text}`
      for (const l of f.failures) errors.push(`${d.path}: ${l.reason}: ${l.text}`)
    }
    // every line failed (the import skips bad lines, as GES does, and goes on): nothing was imported, and that is a failure
    // the import itself fails a run of parts that imported nothing (import-run.ts nothingImported): GES says it in its own words
    const ran = end.outcome === 'succeeded' || end.nothingImported === true
    settle(end.outcome !== 'succeeded' || nothingImported(tallies))
    if (ran && nothingImported(tallies)) failNothingImported()
    if (end.outcome === 'succeeded') return { output }
    if (end.outcome === 'cancelled') fail('cancelled')
    // the import's own reason names the work files it read (.ges-import/<job>/0.v.0.csv): GES's status names the client's files
    return fail(end.error === undefined ? (end.reason ?? 'the import failed') : `${end.error}\n${importedSoFar(tallies)}`)
  } finally {
    release()
  }
}

/**
 * What a GES import that stopped had imported, in the client's own file names (GES's paths, as its
 * status's job_detail says them): "bucket/v.csv: 1,200 of 8,000 data lines imported." a line each.
 */
function importedSoFar(details: GesFileDetail[]): string {
  return details.map((d) => `${d.path}: ${formatCount(d.successful_lines)} of ${counted(d.total_lines, 'data line')} imported.\n`).join('')
}
