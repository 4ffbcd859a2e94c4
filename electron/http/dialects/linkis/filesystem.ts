// filesystem: getUserRootPath, getDirFileTrees, openFile, openLog, resultsetToExcel (FsRestfulApi; jobapis.md §A.9).
// Result sets live in the store; the `.dolphin` paths only name them.

import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { ResultSetState } from '../../../../shared/api'
import { isTerminalJob } from '../../../../shared/status'
import type { JobRecord } from '../../../store/job.repository'
import { shownState, type ResultSetMeta } from '../../../store/result.repository'
import { MAX_PAGE_BYTES } from '../../../store/result-cells'
import { RawJson } from '../../../store/raw-json'
import { mayReach } from '../../../services/access'
import type { LinkisActor } from './auth'
import { fsError, ok, okStreamed } from './envelope'
import { attachment, linkisExport } from './export-options'
import { capLog, OPEN_LOG_MAX_BYTES } from './log-cap'
import { copiesOf, logBlocks, type LogBlock } from './log-stream'
import { executeUserOf, parsePath, parseUserRoot, resultDir, type VirtualPath } from './mappers'
import { LinkisParams, paramError } from './params'
import type { LinkisContext } from './routes'
import { untilHangUp } from '../../hang-up'
import { CHANGES_STATE } from '../../security'

const F = '/api/rest_j/v1/filesystem'
/** openFile's page cap (upstream's linkis.filesystem.resultset.row.limit is larger; 5000 is what its UI pages by). */
const MAX_PAGE = 5000
const LOG_LEVELS = ['all', 'error', 'warn', 'info'] as const

/** Why a result set is not the whole answer, in the en_msg/zh_msg form Linkis uses for its own notices. */
function stateNotice(state: ResultSetState, rows: number): { en_msg: string; zh_msg: string } | null {
  if (state === 'partial') {
    return {
      en_msg: `This result set is partial: the job was stopped or failed while writing it, so rows after the first ${rows} are missing.`,
      zh_msg: `该结果集不完整：任务在写入时被停止或失败，第${rows}行之后的数据缺失。`,
    }
  }
  if (state === 'truncated') {
    return {
      en_msg: `This result set was truncated: it keeps ${rows} rows up to the result limit, and a cell too long for the limit keeps its head and says how much was cut.`,
      zh_msg: `结果集已截断：保留${rows}行（结果行数上限），超长的单元格只保留开头并注明截去的长度。`,
    }
  }
  if (state === 'writing') return { en_msg: 'This result set is still being written.', zh_msg: '该结果集仍在写入中。' }
  return null
}

/** A page cut by the page byte cap (store/result-cells.ts MAX_PAGE_BYTES). */
function pageNotice(rows: number): { en_msg: string; zh_msg: string } {
  const mb = MAX_PAGE_BYTES / 1024 / 1024
  return {
    en_msg: `This page holds only its first ${rows} rows: a page carries at most ${mb} MB of results. Ask with a smaller pageSize.`,
    zh_msg: `本页只包含前${rows}行：每页结果最多${mb} MB，请减小pageSize。`,
  }
}

export function registerFilesystemRoutes(scope: FastifyInstance, c: LinkisContext): void {
  /** The path's job, when the caller may read it (their own results and logs, or an admin). */
  const open = (req: FastifyRequest, params: LinkisParams): { vp: VirtualPath; job: JobRecord | undefined; actor: LinkisActor } => {
    const actor = c.actor(req)
    const path = params.str('path', 2000)
    if (!path) throw fsError(80004, 'The path:null is empty(路径:null 为空)!')
    const vp = parsePath(path)
    if (!vp) throw fsError(80010, `path ${path} is not a JobDesk result or log path`)
    const found = c.engine.job(vp.jobId)
    const job = found && executeUserOf(found) === vp.user ? found : undefined
    // owner-or-admin on the job the path names; on the path's user when it names no job
    if (!mayReach(actor.user, job ?? { submitter: vp.user, labels: {} })) {
      throw fsError(80010, `User ${actor.executeUser} has no permission to read path ${path}(没有权限读取该路径)`)
    }
    return { vp, job, actor }
  }
  const resultSet = (vp: VirtualPath, job: JobRecord | undefined): { set: ResultSetMeta; state: ResultSetState } => {
    const set = job && vp.index !== undefined ? c.store.results.get(job.id, vp.index) : undefined
    if (!job || !set) throw fsError(80001, 'the file does not exist(文件不存在)')
    return { set, state: shownState(set, isTerminalJob(job.status)) }
  }

  /**
   * The caller's root (`data.userLocalRootPath`, or `userHDFSRootPath` for pathType=hdfs): the virtual
   * folder their result and log paths live under. JobDesk keeps no other files for Linkis users.
   */
  scope.get(`${F}/getUserRootPath`, async (req, reply) => {
    const actor = c.actor(req)
    const hdfs = new LinkisParams(req.query).str('pathType', 20)?.trim().toLowerCase() === 'hdfs'
    const scheme = hdfs ? 'hdfs' : 'file'
    return ok(reply, '/api/filesystem/getUserRootPath', 'OK', { [`user${hdfs ? 'HDFS' : 'Local'}RootPath`]: `${scheme}:///jobdesk/${actor.executeUser}/` })
  })

  scope.get(`${F}/getDirFileTrees`, async (req, reply) => {
    const params = new LinkisParams(req.query)
    // The root getUserRootPath hands (the console's UDF pages browse it for a file to register):
    // a folder with no files, JobDesk keeping none for Linkis users besides results and logs.
    const rootUser = parseUserRoot(params.str('path', 2000))
    if (rootUser !== null) {
      const actor = c.actor(req)
      const path = params.str('path', 2000)!
      if (!mayReach(actor.user, { submitter: rootUser, labels: {} })) throw fsError(80010, `User ${actor.executeUser} has no permission to read path ${path}(没有权限读取该路径)`)
      const root = path.replace(/\/$/, '')
      const tree = { name: rootUser, path: root, properties: null, children: [], isLeaf: false, parentPath: root.slice(0, root.lastIndexOf('/')) }
      return ok(reply, '/api/filesystem/getDirFileTrees', 'OK', { dirFileTrees: tree })
    }
    const { vp, job } = open(req, params)
    if (!job || vp.kind !== 'result' || vp.index !== undefined) return ok(reply, '/api/filesystem/getDirFileTrees', 'OK', { dirFileTrees: null })
    const dir = resultDir(job)
    const finished = isTerminalJob(job.status)
    // the sets' heads only: their columns are not shown here (#9 §2)
    const children = c.store.results.heads(job.id).map((r) => ({
      name: `_${r.index}.dolphin`,
      path: `${dir}/_${r.index}.dolphin`,
      properties: { size: String(r.rowCount), modifytime: String(job.finishedAt ?? job.createdAt), partial: String(shownState(r, finished) === 'partial') },
      children: null,
      isLeaf: true,
      parentPath: dir,
    }))
    const tree = { name: String(job.id), path: dir, properties: null, children, isLeaf: false, parentPath: dir.slice(0, dir.lastIndexOf('/')) }
    return ok(reply, '/api/filesystem/getDirFileTrees', 'OK', { dirFileTrees: tree })
  })

  scope.get(`${F}/openFile`, async (req, reply) => {
    const p = new LinkisParams(req.query)
    const { vp, job, actor } = open(req, p)
    const page = p.int('page', { min: 1, max: 1_000_000_000 }, 1)
    const pageSize = p.int('pageSize', { min: 1, max: Number.MAX_SAFE_INTEGER }, MAX_PAGE)
    if (pageSize > MAX_PAGE) throw fsError(80034, `The result set exceeds ${MAX_PAGE} rows and page viewing is currently not supported. Please download to view or view in the shared directory(结果集行数超过${MAX_PAGE}行，暂不支持页面查看。请下载查看或在共享目录中查看)`)
    const rawNull = p.str('nullValue', 100) ?? 'NULL'
    const nullValue = rawNull.toUpperCase() === 'BLANK' ? '' : rawNull
    const enableLimit = p.bool('enableLimit', false)
    const columnPage = p.int('columnPage', { min: 1, max: 1_000_000 }, 1)
    const columnPageSize = p.int('columnPageSize', { min: 1, max: 500 }, 500)
    p.bool('truncateColumn', false) // field truncation is off, as upstream's default; the value is still checked
    const masked = new Set((p.str('maskedFieldNames', 10_000) ?? '').toLowerCase().split(',').map((s) => s.trim()).filter(Boolean))
    const { set, state } = resultSet(vp, job)
    const table = set.kind === 'table'
    // masked columns go first; then, for the console (enableLimit), one page of the remaining columns
    let shown = set.columns.map((col, i) => ({ col, i })).filter(({ col }) => !masked.has(col.name.toLowerCase()))
    const totalColumn = shown.length
    if (table && enableLimit) {
      if ((columnPage - 1) * columnPageSize > totalColumn) throw paramError('columnPage', `is past the last of ${totalColumn} columns`)
      shown = shown.slice((columnPage - 1) * columnPageSize, columnPage * columnPageSize)
    }
    const offset = (page - 1) * pageSize
    // the page's cells as text, built off the main thread when it has many (result-query.ts), and
    // spliced into the answer as JSON text: a 2,000-column page held every request 426 ms (#9 §2);
    // on the reader's fair share of the workers, out of their line when the client hangs up
    const shape = { columns: shown.map(({ i }) => i), nullValue }
    const rows = await untilHangUp(reply, (signal) => c.jobs.resultPageJson(set, offset, pageSize, shape, { owner: actor.user.username, signal }))
    // a page holds at most MAX_PAGE_BYTES of rows: a shorter page says so rather than skip rows silently
    const metadata = table ? shown.map(({ col }) => ({ columnName: col.name, comment: 'NULL', dataType: col.type || 'string' })) : 'NULL'
    return okStreamed(reply, '/api/filesystem/openFile', 'OK', {
      metadata,
      fileContent: new RawJson(rows.json),
      type: table ? '2' : '1',
      totalLine: set.rowCount,
      page,
      totalPage: 0,
      ...(table ? { totalColumn } : {}),
      partial: state === 'partial',
      ...stateNotice(state, set.rowCount),
      ...(rows.short ? pageNotice(rows.count) : {}),
    })
  })

  scope.get(`${F}/openLog`, async (req, reply) => {
    const p = new LinkisParams(req.query)
    const levels = p.list('logLevel', (l) => {
      if (!(LOG_LEVELS as readonly string[]).includes(l.toLowerCase())) throw new Error(`holds ${JSON.stringify(l)}; use all, error, warn, info or a comma-separated mix`)
    }) ?? ['all']
    p.str('proxyUser', 200) // admins read any user's log anyway; a non-admin's proxyUser changes nothing
    const { vp, job } = open(req, p)
    if (!job || vp.kind !== 'log') throw fsError(80001, 'the log file does not exist(日志文件不存在)')
    const wanted = new Set(levels.map((l) => l.toLowerCase()))
    // only the asked levels' slots are filled, the combined one stays empty (FsRestfulApi.openLog)
    const filled = new Set<LogBlock>(wanted.has('all') ? [0, 1, 2, 3] : (['error', 'warn', 'info'] as const).flatMap((name, i) => (wanted.has(name) ? [i as LogBlock] : [])))
    const log = logBlocks(await capLog(c.store.logs, job.id, OPEN_LOG_MAX_BYTES, (l) => copiesOf(l.level, filled)), filled)
    return okStreamed(reply, '/api/filesystem/openLog', 'OK', { log })
  })

  // an export takes one of its user's places and a worker slot: a page on this site may not spend them with the cookie
  scope.get(`${F}/resultsetToExcel`, CHANGES_STATE, async (req, reply) => {
    const p = new LinkisParams(req.query)
    const { vp, job, actor } = open(req, p)
    const { set, state } = resultSet(vp, job)
    const { options, fileName, extension } = linkisExport(p, set)
    const notice = stateNotice(state, set.rowCount)
    // a download still waiting for an export slot when its client hangs up leaves the queue
    const file = await untilHangUp(reply, (signal) => c.jobs.exportStream(set, options, notice ? [notice.en_msg, notice.zh_msg] : [], actor.user.username, signal))
    return reply
      .header('content-type', extension === 'csv' ? `text/plain; charset=${options.format === 'csv' ? options.charset : 'utf-8'}` : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', attachment(fileName, extension))
      .header('x-jobdesk-export-rows', String(file.rows))
      .header('x-jobdesk-export-row-cap', String(file.rowCap))
      .header('x-jobdesk-export-byte-cap', String(file.byteCap))
      .header('x-jobdesk-export-truncated', String(file.truncated))
      .header('x-jobdesk-result-state', state)
      .send(file.stream)
  })
}
