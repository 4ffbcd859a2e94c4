// Shared pieces of the graph tests: a graph file in a temp dir, TuGraph's sample schema, files in a
// user's upload folder, and waiting for an import job.
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ImportStatus } from '../../shared/graph'
import type { JobDeskApp } from '../../electron/app'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'

export const ADMIN = { username: 'admin', isAdmin: true }

/** §8 item 9's schema: person(id INT64 primary, name STRING, age INT32 optional), knows(since INT32 optional, person→person). */
export const PERSON_SCHEMA = {
  schema: [
    {
      label: 'person',
      type: 'VERTEX',
      primary: 'id',
      properties: [
        { name: 'id', type: 'INT64' },
        { name: 'name', type: 'STRING' },
        { name: 'age', type: 'INT32', optional: true },
      ],
    },
    { label: 'knows', type: 'EDGE', properties: [{ name: 'since', type: 'INT32', optional: true }], constraints: [['person', 'person']] },
  ],
}

/** A fresh graph file `g` in `dir` with the given schema, opened in this thread. */
export function tempGraph(dir: string, schema: unknown = PERSON_SCHEMA): GraphDb {
  createGraphFile(dir, 'g')
  const g = GraphDb.open('g', graphFile(dir, 'g'))
  g.addLabels(parseSchemaDescription(schema))
  return g
}

/** Writes a file into `<data>/upload_files/<user>/<name>`. */
export function upload(dataDir: string, name: string, content: string | Buffer, user = 'admin'): string {
  const path = join(dataDir, 'upload_files', user, name)
  mkdirSync(dirname(path), { recursive: true })
  writeFileSync(path, content)
  return path
}

export const personFile = (path: string, extra: Record<string, unknown> = {}) => ({ path, format: 'CSV', label: 'person', columns: ['id', 'name', 'age'], ...extra })
export const knowsFile = (path: string, extra: Record<string, unknown> = {}) => ({
  path,
  format: 'CSV',
  label: 'knows',
  SRC_ID: 'person',
  DST_ID: 'person',
  columns: ['SRC_ID', 'DST_ID', 'since'],
  ...extra,
})

/** Waits for the import's job to end and returns its status. */
export async function finished(app: JobDeskApp, taskId: string): Promise<ImportStatus> {
  const { jobId } = await app.graph.importStatus(taskId)
  await app.engine.waitFor(jobId)
  return app.graph.importStatus(taskId)
}
