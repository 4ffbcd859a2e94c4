// Shared pieces of the graph tests: a graph file in a temp dir, TuGraph's sample schema, files in a
// user's upload folder, and waiting for an import job.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import type { ImportStatus, LabelDef } from '../../shared/graph'
import { expect } from 'vitest'
import type { JobDeskApp } from '../../electron/app'
import type { TestApp } from '../support/app'
import { runImport, type ImportEvent } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { tempDir } from '../support/temp-store'
import { upload } from '../support/upload-files'

export { upload } // the graph tests' files in a user's upload folder (one helper, in test/support)

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
/** Persons with a rank an algorithm writes back, who know each other: the schema of graph-rights tests that import and rank. */
export const RANKED_PERSON_SCHEMA = {
  schema: [
    { label: 'person', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 'name', type: 'STRING' }, { name: 'rank', type: 'DOUBLE', optional: true }] },
    { label: 'knows', type: 'EDGE', properties: [], constraints: [['person', 'person']] },
  ],
}

export function tempGraph(dir: string, schema: unknown = PERSON_SCHEMA): GraphDb {
  createGraphFile(dir, 'g')
  const g = GraphDb.open('g', graphFile(dir, 'g'))
  g.addLabels(parseSchemaDescription(schema))
  return g
}

/** A person CSV (id, name) of `bytes` or a little more: each name quoted, with escaped quotes and commas, so a parse has work to do. */
export function quotedPersonCsv(bytes: number): string {
  const lines = ['id,name']
  let size = 8
  for (let i = 0; size < bytes; i++) {
    const line = `${i},"n${i}""x,y"""`
    lines.push(line)
    size += line.length + 1
  }
  return `${lines.join('\n')}\n`
}

/** Writes `n` person lines `k,name number k,age` (k from `from`) to `path` (its folder made) in chunks (the file is never held whole in memory). */
export function writePeople(path: string, n: number, from = 0): void {
  mkdirSync(join(path, '..'), { recursive: true })
  const fd = openSync(path, 'w')
  for (let i = from; i < from + n; i += 10_000) {
    let chunk = ''
    for (let k = i; k < Math.min(from + n, i + 10_000); k++) chunk += `${k},name number ${k},${k % 100}\n`
    writeSync(fd, chunk)
  }
  closeSync(fd)
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

/**
 * The small "social" graph of the algorithm, graph workflow and Explorer tests, owned by admin:
 * persons 1 Ann 30, 2 Bob 31, 3 Cid 32, 4 Dee 33, 5 Eve 34; knows 1 → 2 → 3 → 1 (a triangle) and
 * 4 → 5 (a second component), imported from people.csv and knows.csv in admin's upload folder.
 * With `bootQueryWorker`, runs a first query: it starts the query worker (its Cypher parser),
 * seconds on a loaded machine, so later tests do not pay for it within their own timeouts.
 */
export async function seedSocialGraph(app: JobDeskApp, dataDir: string, options: { bootQueryWorker?: boolean } = {}): Promise<void> {
  await app.graph.createGraph('social', ADMIN)
  await app.graph.importSchema('social', PERSON_SCHEMA, ADMIN)
  upload(dataDir, 'people.csv', '1,Ann,30\n2,Bob,31\n3,Cid,32\n4,Dee,33\n5,Eve,34\n')
  upload(dataDir, 'knows.csv', '1,2,2000\n2,3,2001\n3,1,2002\n4,5,2003\n')
  const { taskId } = await app.graph.startImport({ graph: 'social', files: [personFile('people.csv'), knowsFile('knows.csv')] }, ADMIN)
  const status = await finished(app, taskId)
  if (status.status !== 'succeeded') throw new Error(`the social graph's import ${status.status}: ${JSON.stringify(status)}`)
  if (options.bootQueryWorker) await app.graph.cypher({ graph: 'social', script: 'MATCH (n) RETURN count(n)', actor: ADMIN })
}

/**
 * Graph `people` of the write-back tests: vertex label `persons` (primary `id` INT64, then
 * `properties`) from persons.csv (`persons.csv`, one line a vertex, of columns `id` then `persons.columns`) and
 * edges `knows` 1 → 2 → 3 → 1 and 4 → 5 (two components), imported by the admin; throws unless the
 * import succeeded.
 */
export async function seedPersonsGraph(app: JobDeskApp, dataDir: string, properties: readonly Record<string, unknown>[], persons: { columns: string[]; csv: string }): Promise<void> {
  const schema = {
    schema: [
      { label: 'persons', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, ...properties] },
      { label: 'knows', type: 'EDGE', properties: [], constraints: [['persons', 'persons']] },
    ],
  }
  await graphWithSchema(app, 'people', schema)
  upload(dataDir, 'persons.csv', persons.csv)
  upload(dataDir, 'knows.csv', '1,2\n2,3\n3,1\n4,5\n')
  const files = [
    { path: 'persons.csv', format: 'CSV', label: 'persons', columns: ['id', ...persons.columns] },
    { path: 'knows.csv', format: 'CSV', label: 'knows', SRC_ID: 'persons', DST_ID: 'persons', columns: ['SRC_ID', 'DST_ID'] },
  ]
  const status = await finished(app, (await app.graph.startImport({ graph: 'people', files } as never, ADMIN)).taskId)
  if (status.status !== 'succeeded') throw new Error(`the people graph's import ${status.status}: ${JSON.stringify(status)}`)
}

/** Creates graph `name` in `app` as the admin, with `schema` (PERSON_SCHEMA unless given); returns `name`. */
export async function graphWithSchema(app: JobDeskApp, name: string, schema: unknown = PERSON_SCHEMA): Promise<string> {
  await app.graph.createGraph(name, ADMIN)
  await app.graph.importSchema(name, schema, ADMIN)
  return name
}

/** A vertex label `plain` (id, name): what the busy-graph tests make and write. */
export const PLAIN_SCHEMA = { schema: [{ label: 'plain', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING' }] }] }

/** Creates `graph` as the admin over the native API, with PLAIN_SCHEMA. */
export async function makePlainGraph(t: TestApp, graph: string): Promise<void> {
  expect((await t.call('POST', '/api/v1/graphs', { graph })).status).toBe(201)
  expect((await t.call('POST', `/api/v1/graphs/${graph}/schema`, PLAIN_SCHEMA)).status).toBe(200)
}

/** POST /api/v1/graphs/`graph`/cypher as the admin. */
export const nativeCypher = (t: TestApp, graph: string, script: string) => t.call('POST', `/api/v1/graphs/${graph}/cypher`, { script })

/**
 * Starts an import of 3,000,000 `plain` vertices into `graph` (made with makePlainGraph) in 4 kB
 * packages (the service takes packageBytes; the API does not): thousands of commits, a run long past
 * the checks a test makes. Resolves with its task and job ids once it is running and has written data.
 */
export async function startLongImport(t: TestApp, graph: string): Promise<{ taskId: string; jobId: number }> {
  const dir = join(t.dir, 'upload_files', 'admin')
  mkdirSync(dir, { recursive: true })
  const fd = openSync(join(dir, 'many.csv'), 'w')
  try {
    for (let from = 0; from < 3_000_000; from += 100_000) {
      const lines: string[] = []
      for (let i = from; i < from + 100_000; i++) lines.push(`v${i},name${i}`)
      writeSync(fd, `${lines.join('\n')}\n`)
    }
  } finally {
    closeSync(fd)
  }
  const started = await t.app.graph.startImport({ graph, packageBytes: 4 * 1024, files: [{ path: 'many.csv', format: 'CSV', label: 'plain', columns: ['id', 'name'] }] }, ADMIN)
  for (;;) {
    const s = await t.call('GET', `/api/v1/imports/${started.taskId}`)
    if (s.body.status === 'running' && s.body.live?.bytesDone > 0) return started
    expect(['queued', 'running']).toContain(s.body.status)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/**
 * Runs an import of `count` one-line CSV files, one label each (L0.. with id and p), into graph
 * 'many' of a new temp dir, as a GES import of thousands of labels makes them (import-many-files
 * tests). Returns the data dir, the run's end and the events it emitted.
 */
export function importManyFiles(count: number): { dir: string; end: ReturnType<typeof runImport>; events: ImportEvent[] } {
  const dir = tempDir()
  createGraphFile(dir, 'many')
  const g = GraphDb.open('many', graphFile(dir, 'many'))
  g.addLabels(Array.from({ length: count }, (_, i) => ({ label: `L${i}`, type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'p', type: 'STRING', optional: true }] }) as LabelDef))
  g.close()
  const files = Array.from({ length: count }, (_, i) => {
    const file = join(dir, `f${i}.csv`)
    writeFileSync(file, `v${i},x${i}\n`)
    return { mapping: { path: `f${i}.csv`, format: 'CSV' as const, label: `L${i}`, columns: ['id', 'p'] }, file }
  })
  const events: ImportEvent[] = []
  const end = runImport({ dataDir: dir, graph: 'many', taskId: 't1', files, delimiter: ',', continueOnError: true, skipPackages: 0 }, { emit: (e) => events.push(e), stop: () => 0 })
  return { dir, end, events }
}
