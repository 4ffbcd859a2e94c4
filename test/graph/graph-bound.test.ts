// A graph's max_size_GB is its bound (store/graph-bound.ts): a Cypher write or an import package
// that takes the graph past it is refused with graph_full naming the graph and its bound, and rolls
// back; a graph at its bound still answers reads and DELETEs (which free its pages). And a running
// import stops before its next package, failing with the reason, once the disk is down to its
// reserve (import-run.ts assertRoom). Run in this thread on graph files in a temp dir.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { DISK_RESERVE_BYTES, setDiskReserve } from '../../electron/disk-reserve'
import { runCypher } from '../../electron/graph/cypher/run'
import { graphWriteRefusal } from '../../electron/graph/graph-room'
import { runImport, type ImportInput, type ImportIo } from '../../electron/graph/import/import-run'
import { createGraphFile, graphFile } from '../../electron/graph/store/catalog'
import { graphUsedBytes } from '../../electron/graph/store/graph-bound'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { parseSchemaDescription } from '../../electron/graph/store/schema'
import { PAST_ANY_DISK } from '../support/disk-reserve'
import { tempDir } from '../support/temp-store'

const KIB = 1024
const GB = 2 ** 30
const BLOB = { schema: [{ label: 'Blob', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'INT64' }, { name: 's', type: 'STRING', optional: true }] }] }

const open: GraphDb[] = []
afterEach(() => {
  for (const g of open.splice(0)) g.close()
})

/** Graph `name` in `dir` with label Blob and the bound `maxSizeGb` (fractions of a GiB here: a test bound of some KiB). */
function blobGraph(dir: string, name: string, maxSizeGb: number): GraphDb {
  createGraphFile(dir, name, { maxSizeGb })
  const g = GraphDb.open(name, graphFile(dir, name))
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
    expect((error as Error).message).toMatch(/^Graph \[small\] would hold [\d.]+ MiB, past its bound of max_size_GB [\d.e-]+ \(0\.5 MiB\): writes that add to it are refused/)
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
