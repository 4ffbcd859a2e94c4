// The graph operations of the shared contract (shared/graph-api.ts) for every transport: graphs and
// schemas, the caller's uploaded files, previews, checks and imports. The graph service does the
// work; this adds who may do what: graphs are created and dropped by admins (the service checks),
// files are always the caller's own, an import is reached by its submitter or an admin.
import { stat } from 'node:fs/promises'
import type { FileChunk, GraphOperations, UploadedFileView } from '../../shared/graph-api'
import { graphError } from '../graph/errors'
import type { GraphService } from '../graph/graph.service'
import { deleteFile, listFiles, writeChunk } from '../graph/upload-files'
import { resolveUploadPath, uploadNameParts } from '../graph/upload-paths'
import type { Actor } from './access'
import { createCypherRuns } from './cypher-runs'

/** `signal`: the HTTP caller hung up (a queued graph request is withdrawn, a running check stopped). */
type GraphHandlers = {
  [K in keyof GraphOperations]: (params: GraphOperations[K]['params'], actor: Actor, client?: string, signal?: AbortSignal) => Promise<GraphOperations[K]['result']> | GraphOperations[K]['result']
}

export function createGraphHandlers(graph: GraphService): GraphHandlers {
  const { dataDir } = graph
  const cypherRuns = createCypherRuns(graph)
  return {
    'graphs.cypher': (p, actor) => cypherRuns.run(p, actor),
    'graphs.cypherCancel': (p, actor) => cypherRuns.cancel(p.queryId, actor, p.user),
    'graphs.list': (_p, actor, _client, signal) => graph.listGraphs({ user: actor.username, signal }),
    'graphs.get': (p, actor, _client, signal) => graph.getGraph(p.graph, { user: actor.username, signal }),
    'graphs.create': (p, actor) => graph.createGraph(p.graph, actor, { description: p.description, owner: p.owner, maxSizeGb: p.maxSizeGb }),
    'graphs.drop': async (p, actor) => {
      await graph.dropGraph(p.graph, actor)
      return { graph: p.graph }
    },
    'graphs.importSchema': async (p, actor) => {
      const { created, skipped } = await graph.importSchema(p.graph, Array.isArray(p.schema) ? { schema: p.schema } : p.schema, actor)
      return { created, skipped, info: await graph.graphSummary(p.graph, { user: actor.username }) } // not the whole schema back at every call
    },
    'files.list': (p, actor) => listFiles(dataDir, actor.username, { folders: p.folders === true }),
    'files.upload': (p, actor) => uploadChunk(dataDir, actor.username, p, actor.isAdmin),
    'files.delete': async (p, actor) => {
      await deleteFile(dataDir, actor.username, p.path)
      return { path: uploadNameParts(p.path).join('/') }
    },
    'imports.preview': (p, actor, _client, signal) => graph.previewFile(actor.username, p, signal),
    'imports.check': (p, actor, _client, signal) => graph.checkImport(p, actor, signal),
    'imports.start': (p, actor) =>
      graph.startImport({ graph: p.graph, files: p.files, delimiter: p.delimiter, continueOnError: p.continueOnError, deleteFiles: p.deleteFiles }, actor),
    'imports.status': (p, actor) => graph.importStatus(p.taskId, actor), // owner-or-admin, import_not_found
  }
}

/**
 * Writes one chunk of the caller's file. Chunks go in order (an offset past the file's end is
 * refused, so no upload leaves a hole or a sparse giant); `replace` at offset 0 empties the file
 * first. Not `admin`, a chunk past the per-user upload quota is refused (shared/quotas.ts).
 * Throws invalid_request (offset, data), path_invalid, path_escapes, uploads_too_large.
 */
export async function uploadChunk(dataDir: string, user: string, p: FileChunk, admin = false): Promise<UploadedFileView> {
  const data = chunkBytes(p.data)
  const path = resolveUploadPath(dataDir, user, p.path, { writing: true }) // refused before `replace` empties anything
  const name = uploadNameParts(p.path).join('/')
  if (!Number.isSafeInteger(p.offset) || p.offset < 0) throw graphError('invalid_request', 'offset must be a whole number of bytes from 0', { field: 'offset' })
  if (p.replace) {
    if (p.offset !== 0) throw graphError('invalid_request', 'replace starts the file afresh: its chunk must have offset 0', { field: 'offset' })
    await deleteFile(dataDir, user, p.path).catch((e: { code?: string }) => {
      if (e.code !== 'file_not_found') throw e
    })
  }
  // writeChunk refuses an offset past the file's end (chunks go in order, no holes)
  await writeChunk(dataDir, user, p.path, p.offset, data.length, data, { offsetField: 'offset', sizeField: 'data', admin })
  const s = await stat(path)
  return { path: name, bytes: s.size, modifiedAt: Math.round(s.mtimeMs) }
}

/** The chunk as a Buffer: HTTP hands one over, IPC a Uint8Array (structured clone). */
function chunkBytes(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  throw graphError('invalid_request', 'data must be the chunk’s bytes', { field: 'data' })
}
