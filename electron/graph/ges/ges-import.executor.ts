// GES import-graph as an engine task (executor `ges-import`, in a job of kind `import`): GES's
// CSV formats (vertex lines `id,label,props…`, edge lines `src,dst,label,props…`, any labels mixed
// in one file) are split into one file per label (edges per label and endpoint labels), the labels
// the data needs are created from the schema XML, and the files go through the same import engine
// as TuGraph's (GraphHost.runImport). job_detail's per-file counts add the lines the split refused
// (unknown label, missing columns, an edge whose vertex is in none of the files) to the lines the
// import failed. The split files live in the user's folder under `.ges-import/<job>/` until the end.
// Their names come from counters (`<source>.v.<n>.csv`), never from a label or any other text of the
// client's files, and each is opened inside that folder only (workFile).
import { closeSync, constants, mkdirSync, openSync, readdirSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import type { FileMapping, LabelDef } from '../../../shared/graph'
import { isAppError } from '../../../shared/errors'
import { TaskFailure, type Executor, type TaskContext } from '../../engine/executor'
import { failureCause, graphError, type FailureCause } from '../errors'
import { requireGraphWrite, type GraphWrite, type RunRights } from '../graph-rights'
import type { GesFileDetail, GesImportOutput } from './ges-report'
import { CsvFieldSplitter } from '../import/csv-fields'
import { resolveImportFiles } from '../import/import-files'
import { resolveUploadPath, userUploadDir } from '../upload-paths'
import type { GraphHost } from '../worker/graph-host'
import { boundedLines } from './bounded-lines'
import { readGesSchema, type GesLabel } from './ges-schema'

export const GES_IMPORT_EXECUTOR = 'ges-import'

/** An import-graph request as the GES dialect checked it: paths relative to the user's upload folder. */
export interface GesImportSpec {
  graph: string
  user: string
  schemaPath?: string
  vertexPaths: string[]
  edgePaths: string[]
  delimiter: string
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

const WORK = '.ges-import'
const FLUSH_BYTES = 1 << 20
/** Longest line of a GES data file: a longer one fails (counted, named) without being held or split on the main thread. */
const MAX_LINE_BYTES = 1 << 20

/** A split file: the label its lines go to (an edge's with its endpoint labels). */
interface Part {
  label: string
  edge?: { src: string; dst: string }
}

interface SourceTally {
  detail: GesFileDetail
  /** Split files made from this source (relative paths). */
  parts: Set<string>
}

/** The files a path stands for: itself, or the regular files of a folder (by name). */
function expand(dataDir: string, user: string, path: string): string[] {
  const file = resolveUploadPath(dataDir, user, path, { mustExist: true })
  if (!statSync(file).isDirectory()) return [path]
  const folder = path.replace(/[/\\]+$/, '')
  return readdirSync(file, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${folder}/${e.name}`)
    .sort()
}

const csvField = (v: string | null): string => (v === null ? '' : /[",\n\r]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v)

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

/**
 * The path of the split file `name` (a name this executor made: `<n>.v.<n>.csv` or `<n>.e.<n>.csv`)
 * in `workDir`. Throws (a bug, not a user error) for any other name or one that resolves elsewhere.
 */
export function workFile(workDir: string, name: string): string {
  const path = resolve(workDir, name)
  if (!/^\d+\.[ve]\.\d+\.csv$/.test(name) || dirname(path) !== resolve(workDir)) throw new Error(`split file name ${JSON.stringify(name)} is not one of the work folder's`)
  return path
}

/** Appends `text` to a split file; O_NOFOLLOW, so a symbolic link put in its place is not written through. */
function appendPart(path: string, text: string): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o600)
  try {
    const bytes = Buffer.from(text)
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done) // a write may take fewer bytes than given
  } finally {
    closeSync(fd)
  }
}

export function createGesImportExecutor(deps: GesImportDeps): Executor {
  return {
    name: GES_IMPORT_EXECUTOR,
    resumable: false, // the split files are gone after a crash; the job fails and can be run again
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
        rmSync(workDir, { recursive: true, force: true })
      }
    },
  }
}

async function runGesImport(deps: GesImportDeps, ctx: TaskContext, spec: GesImportSpec, work: string, workDir: string) {
  const output: GesImportOutput = { ges: { schema: [], edges: [], vertices: [] } }
  /** Fails the task with the report so far and, when known, the cause (GES's errorCode for the job). */
  const fail = (message: string, cause?: FailureCause): never => {
    if (cause) output.failure = cause
    throw new TaskFailure(message, false, output)
  }
  // the user's right to change the graph, now: it may have been dropped and made anew by someone else since (#9 §3)
  await requireGraphWrite(deps.rights, deps.userOf(spec.user), gesGraphWrite(spec)).catch((e) => fail((e as Error).message, failureCause(e)))
  // the schema file
  let schema: GesLabel[] = []
  if (spec.schemaPath) {
    const detail: GesFileDetail = { path: spec.schemaPath, log: null, status: 'success', cause: null, total_lines: -1, failed_lines: -1, successful_lines: -1 }
    output.ges.schema.push(detail)
    try {
      schema = readGesSchema(deps.dataDir, spec.user, spec.schemaPath)
    } catch (e) {
      detail.status = 'failed'
      detail.cause = (e as Error).message
      fail(detail.cause, isAppError(e) ? failureCause(e) : { kind: 'invalid', code: 'invalid_schema' })
    }
  }
  const info = await deps.host.request('graphs.get', { graph: spec.graph }).catch((e) => fail(isAppError(e) ? e.message : String(e), failureCause(e)))
  const existing = new Map(info.labels.map((l) => [`${l.kind}:${l.name}`, l.def]))
  const schemaOf = (label: string): GesLabel | undefined => {
    const s = schema.find((l) => l.name === label)
    if (s) return s
    const v = existing.get(`vertex:${label}`) ?? existing.get(`edge:${label}`)
    return v ? { name: label, properties: v.properties.filter((p) => p.name !== 'id').map((p) => ({ name: p.name, type: p.type })) } : undefined
  }
  const splitter = new CsvFieldSplitter(spec.delimiter)
  const buffers = new Map<string, string[]>()
  const bufferBytes = new Map<string, number>()
  const write = (part: string, fields: (string | null)[]) => {
    const line = `${fields.map(csvField).join(',')}\n`
    const list = buffers.get(part) ?? []
    list.push(line)
    buffers.set(part, list)
    const size = (bufferBytes.get(part) ?? 0) + line.length
    bufferBytes.set(part, size)
    if (size > FLUSH_BYTES) flush(part)
  }
  const flush = (part: string) => {
    const list = buffers.get(part)
    if (list?.length) appendPart(workFile(workDir, part), list.join(''))
    buffers.set(part, [])
    bufferBytes.set(part, 0)
  }
  const tallies = new Map<string, SourceTally>()
  const vertexLabelOf = new Map<string, string>()
  const usedVertexLabels = new Set<string>()
  const usedEdgeLabels = new Set<string>()
  /** Split file name → what it holds; in the order made (by source, vertex files first). */
  const parts = new Map<string, Part>()
  const partOwner = new Map<string, SourceTally>()
  /** (source, kind, label[, src, dst]) → split file name: a counter, never the label itself. */
  const partNames = new Map<string, string>()
  const partFor = (at: number, tally: SourceTally, p: Part): string => {
    const key = JSON.stringify([at, p.label, p.edge?.src, p.edge?.dst])
    let name = partNames.get(key)
    if (name === undefined) {
      name = `${at}.${p.edge ? 'e' : 'v'}.${partNames.size}.csv`
      partNames.set(key, name)
      parts.set(name, p)
      partOwner.set(name, tally)
      tally.parts.add(name)
    }
    return name
  }

  async function eachLine(path: string, tally: SourceTally, take: (fields: (string | null)[], lineNo: number) => string | null): Promise<void> {
    const file = resolveUploadPath(deps.dataDir, spec.user, path, { mustExist: true })
    for await (const read of boundedLines(file, MAX_LINE_BYTES)) {
      const { lineNo } = read
      if (ctx.signal.aborted) fail('cancelled')
      if ('tooLong' in read) {
        tally.detail.total_lines++
        tally.detail.failed_lines++
        tally.detail.cause ??= `line ${lineNo}: longer than ${MAX_LINE_BYTES / 2 ** 20} MiB`
        continue
      }
      const line = read.text
      if (line.trim() === '') continue
      tally.detail.total_lines++
      const fields = splitter.splitAll([line])[0]
      const why = typeof fields === 'string' ? fields : take(fields, lineNo)
      if (why !== null) {
        tally.detail.failed_lines++
        tally.detail.cause ??= `line ${lineNo}: ${why}`
      }
    }
  }
  const newTally = (path: string, list: GesFileDetail[]): SourceTally => {
    const detail: GesFileDetail = { path, log: null, status: null, cause: null, total_lines: 0, failed_lines: 0, successful_lines: 0 }
    list.push(detail)
    const t = { detail, parts: new Set<string>() }
    tallies.set(path, t)
    return t
  }

  // vertex files: id,label,props…
  let index = 0
  for (const path of spec.vertexPaths.flatMap((p) => expand(deps.dataDir, spec.user, p))) {
    const tally = newTally(path, output.ges.vertices)
    const at = index++
    await eachLine(path, tally, (f) => {
      if (f.length < 2 || !f[0] || !f[1]) return 'a vertex line is id,label[,properties…]'
      const label = f[1]
      const s = schemaOf(label)
      if (!s) return `label ${label} is in neither the schema file nor the graph`
      if (f.length - 2 > s.properties.length) return `label ${label} has ${s.properties.length} properties; the line has ${f.length - 2}`
      const part = partFor(at, tally, { label })
      usedVertexLabels.add(label)
      if (!vertexLabelOf.has(f[0])) vertexLabelOf.set(f[0], label)
      write(part, [f[0], ...s.properties.map((_, i) => f[i + 2] ?? null)])
      return null
    })
  }
  // edge files: src,dst,label,props…
  for (const path of spec.edgePaths.flatMap((p) => expand(deps.dataDir, spec.user, p))) {
    const tally = newTally(path, output.ges.edges)
    const at = index++
    await eachLine(path, tally, (f) => {
      if (f.length < 3 || !f[0] || !f[1] || !f[2]) return 'an edge line is source,target,label[,properties…]'
      const label = f[2]
      const s = schemaOf(label)
      if (!s) return `label ${label} is in neither the schema file nor the graph`
      if (f.length - 3 > s.properties.length) return `label ${label} has ${s.properties.length} properties; the line has ${f.length - 3}`
      const src = vertexLabelOf.get(f[0])
      const dst = vertexLabelOf.get(f[1])
      if (!src || !dst) return `vertex ${!src ? f[0] : f[1]} is in none of this import's vertex files`
      const part = partFor(at, tally, { label, edge: { src, dst } })
      usedEdgeLabels.add(label)
      write(part, [f[0], f[1], ...s.properties.map((_, i) => f[i + 3] ?? null)])
      return null
    })
  }
  for (const part of buffers.keys()) flush(part)

  // the labels the data needs that the graph lacks
  const create: LabelDef[] = []
  for (const label of usedVertexLabels) {
    if (existing.has(`vertex:${label}`)) continue
    const s = schemaOf(label)!
    create.push({ label, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, ...s.properties.map((p) => ({ ...p, optional: true }))] } as LabelDef)
  }
  for (const label of usedEdgeLabels) {
    if (existing.has(`edge:${label}`)) continue
    create.push({ label, type: 'EDGE', properties: schemaOf(label)!.properties.map((p) => ({ ...p, optional: true })), constraints: [] } as LabelDef)
  }
  if (create.length) {
    await deps.host.request('schema.import', { graph: spec.graph, labels: create }).catch((e) => fail(isAppError(e) ? e.message : String(e), failureCause(e)))
    ctx.log('INFO', `created labels ${create.map((l) => `${l.type === 'VERTEX' ? 'vertex' : 'edge'} ${l.label}`).join(', ')}`)
  }
  const columnsOf = (label: string, kind: 'vertex' | 'edge'): string[] => {
    const def = create.find((l) => l.label === label && (l.type === 'VERTEX') === (kind === 'vertex')) ?? existing.get(`${kind}:${label}`)!
    const s = schemaOf(label)!
    return s.properties.map((p) => (def.properties.some((d) => d.name === p.name) ? p.name : 'SKIP'))
  }
  const mappings: FileMapping[] = []
  for (const [part, { label, edge }] of parts) {
    const path = `${work}/${part}`
    if (!edge) mappings.push({ path, format: 'CSV', label, columns: ['id', ...columnsOf(label, 'vertex')] })
    else mappings.push({ path, format: 'CSV', label, SRC_ID: edge.src, DST_ID: edge.dst, columns: ['SRC_ID', 'DST_ID', ...columnsOf(label, 'edge')] })
  }
  const settle = (outcomeFailed: boolean) => {
    for (const t of tallies.values()) {
      const d = t.detail
      d.status = outcomeFailed && d.successful_lines === 0 && d.total_lines > 0 ? 'failed' : d.failed_lines > 0 ? (d.successful_lines > 0 ? 'partFailed' : 'failed') : 'success'
    }
  }
  if (mappings.length === 0) {
    settle(true)
    if ([...tallies.values()].some((t) => t.detail.total_lines > 0)) fail('no line of the files could be imported', { kind: 'invalid', code: 'invalid_value' })
    return { output }
  }
  const end = await deps.host.runImport(
    { dataDir: deps.dataDir, graph: spec.graph, taskId: ctx.jobUuid, files: resolveImportFiles(deps.dataDir, spec.user, mappings), delimiter: ',', continueOnError: true, skipPackages: 0 },
    {
      signal: ctx.signal,
      onEvent(e) {
        if (e.type === 'log') ctx.log(e.level, e.text)
        else if (e.bytesTotal > 0) ctx.progress?.(Math.min(1, e.bytesDone / e.bytesTotal))
      },
    },
  )
  output.report = end.report
  for (const f of end.report.files) {
    const part = f.path.slice(work.length + 1)
    const t = partOwner.get(part)
    if (!t) continue
    t.detail.successful_lines += f.imported
    t.detail.failed_lines += f.failed + f.rolledBack
    if (f.failures[0] && !t.detail.cause) t.detail.cause = `${f.failures[0].reason}: ${f.failures[0].text}`
  }
  settle(end.outcome !== 'succeeded')
  if (end.outcome === 'succeeded') return { output }
  if (end.outcome === 'cancelled') fail('cancelled')
  return fail(end.reason ?? 'the import failed')
}
