// A graph's max_size_GB is its bound (store/graph-bound.ts): a Cypher write or an import package
// that takes the graph past it is refused with graph_full naming the graph and its bound, and rolls
// back; a graph at its bound still answers reads and DELETEs (which free its pages). And a running
// import stops before its next package, failing with the reason, once the disk is down to its
// reserve (import-run.ts assertRoom). Run in this thread on graph files in a temp dir.
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DISK_RESERVE_BYTES, setDiskReserve } from '../../electron/disk-reserve'
import { runCypher } from '../../electron/graph/cypher/run'
import { graphWriteRefusal } from '../../electron/graph/graph-room'
import { runImport, type ImportInput, type ImportIo } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { graphUsedBytes } from '../../electron/graph/store/graph-bound'
import { GRAPH_KEEP_LOG_BYTES } from '../../electron/graph/store/graph-file'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { PAST_ANY_DISK } from '../support/disk-reserve'
import { tempDir } from '../support/temp-store'

const KIB = 1024
const MIB = 2 ** 20
const GB = 2 ** 30
const BLOB = { schema: [{ label: 'Blob', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 's', type: 'STRING', optional: true }] }] }

const open: GraphDb[] = []
afterEach(() => {
  for (const g of open.splice(0)) g.close()
})

/**
 * Graph `name` in `dir` with label Blob and the bound `maxSizeGb` (fractions of a GiB here: a test bound
 * of some KiB), opened with a page cache of `cacheMb` MiB (a small one spills a write into the log early).
 */
function blobGraph(dir: string, name: string, maxSizeGb: number, cacheMb?: number): GraphDb {
  createGraphFile(dir, name, { maxSizeGb })
  const g = GraphDb.open(name, graphFile(dir, name), { cacheMb })
  g.addLabels(parseSchemaDescription(BLOB))
  open.push(g)
  return g
}

/** Writes `n` Blob vertices from id `from` with strings of `kib` KiB each. */
const createBlobs = (g: GraphDb, from: number, n: number, kib: number) =>
  runCypher(g, { script: `UNWIND range(${from}, ${from + n - 1}) AS i CREATE (:Blob {id: i, s: reduce(s = '', k IN range(1, ${kib * 32}) | s + '0123456789abcdef0123456789abcdef')})` })

const count = (g: GraphDb): number => Number(runCypher(g, { script: 'MATCH (n:Blob) RETURN count(n) AS n' }).rows[0][0])

describe('a graph bound by its max_size_GB', () => {
  it('refuses a write past the bound with graph_full naming the graph and bound, rolling it back; reads and DELETEs run', () => {
    const dir = tempDir()
    const g = blobGraph(dir, 'small', (512 * KIB) / GB)
    createBlobs(g, 1, 4, 16) // 64 KiB: within the bound
    const before = graphUsedBytes(g)
    expect(before).toBeLessThan(512 * KIB)
    // 40 × 16 KiB: past the bound
    let error: unknown
    try {
      createBlobs(g, 100, 40, 16)
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({ kind: 'too_large', code: 'graph_full' })
    expect((error as Error).message).toMatch(/^Graph \[small\] would hold [\d.,]+ [KM]iB, past its bound of max_size_GB [\d.e-]+ \(512 KiB\): writes that add to it are refused/)
    expect(count(g)).toBe(4)
    expect(graphUsedBytes(g)).toBe(before)

    // filled to the bound one write at a time: then even a small CREATE, a SET or an upsert is refused before it runs
    let id = 1000
    for (;;) {
      try {
        createBlobs(g, id, 1, 16)
        id++
      } catch (e) {
        expect(e).toMatchObject({ code: 'graph_full' })
        break
      }
      expect(id).toBeLessThan(1100) // it ends
    }
    const full = count(g)
    for (const script of ["CREATE (:Blob {id: 99999, s: 'x'})", "MATCH (n:Blob {id: 1}) SET n.s = n.s + n.s", "CALL db.upsertVertex('Blob', [{id: 99998, s: 'y'}])"]) {
      try {
        runCypher(g, { script })
        // a small write may still fit the last free pages; it never adds past the bound
        expect(graphUsedBytes(g), script).toBeLessThanOrEqual(512 * KIB)
      } catch (e) {
        expect(e, script).toMatchObject({ code: 'graph_full' })
      }
    }
    // reads answer, and DELETE frees pages: then there is room again
    runCypher(g, { script: 'MATCH (n:Blob) WHERE n.id >= 1000 DELETE n' })
    expect(count(g)).toBe(4)
    createBlobs(g, 2000, 4, 16)
    expect(full).toBeGreaterThan(4)
  })

  it('a graph without a bound (max_size_GB 0) takes the same write', () => {
    const g = blobGraph(tempDir(), 'free', 0)
    createBlobs(g, 100, 40, 16)
    expect(count(g)).toBe(40)
  })
})

// A graph file's write-ahead log does not keep the size of its largest write (#9): a Cypher write
// refused past the graph's bound spilled 117.9 MiB of pages into the log and rolled back, and the
// -wal file stayed that size. A refused write's log is cut back at once (when no one else holds it),
// and a log copied into the file is cut back to GRAPH_KEEP_LOG_BYTES by the next commit.
describe("a graph file's write-ahead log", () => {
  /** One statement writing `n` Blob vertices from id `from`, 16 KiB of string each (built once). */
  const createManyBlobs = (g: GraphDb, from: number, n: number) =>
    runCypher(g, { script: `WITH reduce(s = '', k IN range(1, 512) | s + '0123456789abcdef0123456789abcdef') AS s UNWIND range(${from}, ${from + n - 1}) AS i CREATE (:Blob {id: i, s: s})` })
  const logBytes = (g: GraphDb): number => statSync(`${g.file}-wal`).size

  it('is cut back to GRAPH_KEEP_LOG_BYTES or less after a write refused past the bound spilled twice that into it', () => {
    const g = blobGraph(tempDir(), 'small', (4 * MIB) / GB, 1)
    createManyBlobs(g, 1, 8) // 128 KiB: within the bound
    // 2 × GRAPH_KEEP_LOG_BYTES + 8 MiB in one statement, far past the 4 MiB bound: its pages spill into the log, then it rolls back
    expect(() => createManyBlobs(g, 100, (2 * GRAPH_KEEP_LOG_BYTES + 8 * MIB) / (16 * KIB))).toThrow(expect.objectContaining({ code: 'graph_full' }))
    expect(logBytes(g)).toBeLessThanOrEqual(GRAPH_KEEP_LOG_BYTES)
    expect(count(g)).toBe(8)
    createManyBlobs(g, 200, 8) // the graph takes writes as before
    expect(count(g)).toBe(16)
  })

  it('grown by a large committed write, is cut back to GRAPH_KEEP_LOG_BYTES by the next commit once copied into the file', () => {
    const g = blobGraph(tempDir(), 'free', 0, 1)
    createManyBlobs(g, 1, (2 * GRAPH_KEEP_LOG_BYTES) / (16 * KIB))
    expect(logBytes(g)).toBeGreaterThan(2 * GRAPH_KEEP_LOG_BYTES)
    g.db.pragma('wal_checkpoint(PASSIVE)') // what a commit's own autocheckpoint or db.flushDB() does
    createManyBlobs(g, 100000, 1)
    expect(logBytes(g)).toBeLessThanOrEqual(GRAPH_KEEP_LOG_BYTES)
  })
})

describe('a running import', () => {
  /** A CSV of Blob lines (id, 1 KiB string) of about `kib` KiB in the temp dir. */
  function blobCsv(dir: string, kib: number): { mapping: ImportInput['files'][number]['mapping']; file: string } {
    const lines: string[] = []
    for (let i = 0; i < kib; i++) lines.push(`${i},${'x'.repeat(1000)}`)
    const file = join(dir, 'blobs.csv')
    writeFileSync(file, `${lines.join('\n')}\n`)
    return { mapping: { path: 'blobs.csv', format: 'CSV', label: 'Blob', columns: ['id', 's'] }, file }
  }
  const input = (dir: string, graph: string, kib: number): ImportInput => ({ dataDir: dir, graph, taskId: 't1', files: [blobCsv(dir, kib)], delimiter: ',', continueOnError: false, skipPackages: 0, packageBytes: 32 * KIB })
  const io = (room?: ImportIo['room']): ImportIo => ({ emit: () => undefined, stop: () => 0, room })

  it('past its graph’s bound fails naming graph_full’s reason, the packages before kept, the graph within a package of its bound', () => {
    const dir = tempDir()
    blobGraph(dir, 'small', (512 * KIB) / GB).close()
    open.length = 0
    const end = runImport(input(dir, 'small', 2048), io())
    expect(end.outcome).toBe('failed')
    expect(end.reason).toMatch(/Graph \[small\] would hold .* past its bound of max_size_GB/)
    expect(end.report.imported).toBeGreaterThan(0)
    expect(end.report.imported).toBeLessThan(2048)
    const g = GraphDb.open('small', graphFile(dir, 'small'))
    open.push(g)
    expect(graphUsedBytes(g)).toBeLessThanOrEqual(512 * KIB)
  })

  it('stops before its next package once the disk is down to its reserve, failing with the reserve’s reason', () => {
    const dir = tempDir()
    blobGraph(dir, 'g', 0).close()
    open.length = 0
    let packages = 0
    try {
      // the disk fills while the import runs: after its third package the reserve is past
      const end = runImport(input(dir, 'g', 256), io(() => (++packages > 3 ? (setDiskReserve(dir, PAST_ANY_DISK), graphWriteRefusal(dir)) : undefined)))
      expect(end.outcome).toBe('failed')
      expect(end.reason).toMatch(/less than the .* JobDesk keeps in reserve: graph writes .* are refused until an admin frees space/)
      expect(end.report.packagesDone).toBe(3)
      expect(end.report.imported).toBeGreaterThan(0)
    } finally {
      setDiskReserve(dir, DISK_RESERVE_BYTES)
    }
  })
})
