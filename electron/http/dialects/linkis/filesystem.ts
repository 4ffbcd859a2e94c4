// filesystem: getDirFileTrees, openFile, openLog, resultsetToExcel (FsRestfulApi; jobapis.md §A.9).
// Result sets live in the store; the `.dolphin` paths only name them.

import ExcelJS from 'exceljs'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { JobRecord } from '../../../store/job.repository'
import type { ResultSetMeta } from '../../../store/result.repository'
import { mayReach } from '../../../services/access'
import { csvLine } from '../../../services/csv'
import { JAVA_INT, queryInteger } from '../../query'
import { LinkisError, ok } from './envelope'
import { executeUserOf, logArray, parsePath, resultDir, type VirtualPath } from './mappers'
import type { LinkisActor } from './auth'
import type { LinkisContext } from './routes'

const F = '/api/rest_j/v1/filesystem'
const MAX_PAGE = 5000
const MAX_EXPORT_ROWS = 1_000_000
const MAX_LOG_LINES = 100_000

const fsError = (code: number, desc: string) => new LinkisError(`errCode: ${code} ,desc: ${desc} ,ip: 127.0.0.1 ,port: 9002 ,serviceKind: linkis-ps-publicservice`)

export function registerFilesystemRoutes(scope: FastifyInstance, c: LinkisContext): void {
  /** The path's job, when the caller may read it (their own results and logs, or an admin). */
  const open = (req: FastifyRequest, path: unknown): { vp: VirtualPath; job: JobRecord | undefined; actor: LinkisActor } => {
    const actor = c.actor(req)
    const vp = parsePath(path)
    if (!vp) throw fsError(80010, `path ${String(path)} is not a JobDesk result or log path`)
    const found = c.engine.job(vp.jobId)
    const job = found && executeUserOf(found) === vp.user ? found : undefined
    // owner-or-admin on the job the path names; on the path's user when it names no job
    if (!mayReach(actor.user, job ?? { submitter: vp.user, labels: {} })) {
      throw fsError(80010, `User ${actor.executeUser} has no permission to read path ${String(path)}(没有权限读取该路径)`)
    }
    return { vp, job, actor }
  }
  const resultSet = (vp: VirtualPath, job: JobRecord | undefined): ResultSetMeta => {
    const set = job && vp.index !== undefined ? c.store.results.get(job.id, vp.index) : undefined
    if (!set) throw fsError(80001, 'the file does not exist(文件不存在)')
    return set
  }
  const cellText = (v: unknown, nullValue: string) => (v === null || v === undefined ? nullValue : typeof v === 'object' ? JSON.stringify(v) : String(v))

  scope.get(`${F}/getDirFileTrees`, async (req, reply) => {
    const path = (req.query as { path?: string }).path
    const { vp, job } = open(req, path)
    if (!job || vp.kind !== 'result' || vp.index !== undefined) return ok(reply, '/api/filesystem/getDirFileTrees', 'OK', { dirFileTrees: null })
    const dir = resultDir(job)
    const children = c.store.results.list(job.id).map((r) => ({
      name: `_${r.index}.dolphin`,
      path: `${dir}/_${r.index}.dolphin`,
      properties: { size: String(r.rowCount), modifytime: String(job.finishedAt ?? job.createdAt) },
      children: null,
      isLeaf: true,
      parentPath: dir,
    }))
    const tree = { name: String(job.id), path: dir, properties: null, children, isLeaf: false, parentPath: dir.slice(0, dir.lastIndexOf('/')) }
    return ok(reply, '/api/filesystem/getDirFileTrees', 'OK', { dirFileTrees: tree })
  })

  scope.get(`${F}/openFile`, async (req, reply) => {
    const q = req.query as { path?: string; page?: string; pageSize?: string; nullValue?: string }
    const { vp, job } = open(req, q.path)
    const set = resultSet(vp, job)
    const page = Math.max(1, queryInteger(q.page, 'page', JAVA_INT, 1))
    const pageSize = queryInteger(q.pageSize, 'pageSize', JAVA_INT, MAX_PAGE) || MAX_PAGE
    if (pageSize > MAX_PAGE) throw fsError(80034, `the result set has a limit of ${MAX_PAGE} rows per page(结果集每页行数不能超过${MAX_PAGE})`)
    const nullValue = q.nullValue ?? 'NULL'
    const rows = c.store.results.rows(set, (page - 1) * pageSize, pageSize).map((r) => r.map((v) => cellText(v, nullValue)))
    const table = set.kind === 'table'
    const metadata = table ? set.columns.map((col) => ({ columnName: col.name, comment: 'NULL', dataType: col.type || 'string' })) : 'NULL'
    return ok(reply, '/api/filesystem/openFile', 'OK', { metadata, fileContent: rows, type: table ? '2' : '1', totalLine: set.rowCount, page, totalPage: 0 })
  })

  scope.get(`${F}/openLog`, async (req, reply) => {
    const q = req.query as { path?: string; logLevel?: string }
    const { vp, job } = open(req, q.path)
    if (!job || vp.kind !== 'log') throw fsError(80001, 'the log file does not exist(日志文件不存在)')
    const lines = []
    for (let from = 0; lines.length < MAX_LOG_LINES; ) {
      const page = c.store.logs.read(job.id, from, 5000)
      lines.push(...page.lines)
      if (page.lines.length < 5000) break
      from = page.next
    }
    // a very long log is cut, saying so, rather than building a reply of unbounded size
    const note = lines.length >= MAX_LOG_LINES ? [{ time: Date.now(), level: 'WARN' as const, text: `log cut at ${MAX_LOG_LINES} lines; page through entrance/{id}/log for the rest` }] : []
    return ok(reply, '/api/filesystem/openLog', 'OK', { log: logArray([...lines.slice(0, MAX_LOG_LINES), ...note]) })
  })

  scope.get(`${F}/resultsetToExcel`, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>
    const { vp, job } = open(req, q.path)
    const set = resultSet(vp, job)
    const type = (q.outputFileType ?? 'csv').toLowerCase()
    if (type !== 'csv' && type !== 'xlsx') throw fsError(80015, `unsupported outputFileType ${type}: use csv or xlsx`)
    const nullValue = q.nullValue ?? 'NULL'
    const asked = queryInteger(q.limit, 'limit', JAVA_INT, 0)
    const limit = asked > 0 ? Math.min(asked, MAX_EXPORT_ROWS) : MAX_EXPORT_ROWS
    const header = set.columns.map((col) => col.name)
    const rows = (function* () {
      for (let offset = 0; offset < Math.min(set.rowCount, limit); offset += 5000) {
        yield* c.store.results.rows(set, offset, Math.min(5000, limit - offset)).map((r) => r.map((v) => cellText(v, nullValue)))
      }
    })()
    const name = (q.outputFileName ?? 'result').replace(/[^\w.-]/g, '_')
    if (type === 'csv') {
      const separator = q.csvSeparator ?? q.csvSeperator ?? ','
      const text = [csvLine(header, separator), ...Array.from(rows, (r) => csvLine(r, separator))].join('\r\n')
      return reply
        .header('content-type', `text/csv; charset=${q.charset ?? 'utf-8'}`)
        .header('content-disposition', `attachment; filename="${name}.csv"`)
        .send(`${text}\r\n`)
    }
    const book = new ExcelJS.Workbook()
    const sheet = book.addWorksheet(q.sheetName || 'result')
    sheet.addRow(header)
    for (const r of rows) sheet.addRow(r)
    const buffer = Buffer.from(await book.xlsx.writeBuffer())
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${name}.xlsx"`)
      .send(buffer)
  })
}
