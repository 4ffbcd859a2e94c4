// The Scripts page's scratch table list (#9 §2): read in a child process within SCRATCH_LIST_LIMITS, so a
// schema a script made as wide as SQLite allows neither holds the main thread nor answers megabytes, and
// views that expand exponentially (#9 §1, atk12) neither take the server's memory nor hold a list past
// its limits: what could not be read is listed by name without columns.
import Database from 'better-sqlite3'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { isAppError } from '../../shared/errors'
import { SCRATCH_LIST_LIMITS } from '../../shared/saved-scripts'
import { readScratchList, type ScratchListLimits } from '../../electron/services/scratch-schema'
import { scratchTablesReader } from '../../electron/services/scratch-tables'
import { tempDir } from '../support/temp-store'

const dir = tempDir()
let made = 0
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A scratch database file made by `sql`, as a user's SQL script would. */
function scratch(sql: string): string {
  const file = join(dir, `scratch-${++made}.sqlite`)
  const db = new Database(file)
  db.exec(sql)
  db.close()
  return file
}
const small = (l: Partial<ScratchListLimits>): ScratchListLimits => ({ ...SCRATCH_LIST_LIMITS, ...l })
const names = (cols: { name: string }[]) => cols.map((c) => c.name)
/** Whose list a reader reads (SlotRequest): one user's, here. */
const BY_U1 = { owner: 'u1' }

/**
 * SQL of a view `name` naming the tops of `chains` chains of views 15 deep that each name the one
 * before twice (each chain on its own table): resolving its columns expands 32,768 copies a chain,
 * ~1.2 s and ~60 MB of SQLite's memory a chain (atk12). The chains' names start with `z`.
 */
function expandingView(name: string, chains: number): string {
  const lines: string[] = []
  for (let c = 0; c < chains; c++) {
    lines.push(`CREATE TABLE zt${c} (a);`, `CREATE VIEW z${c}_0 AS SELECT a FROM zt${c};`)
    for (let i = 1; i <= 15; i++) lines.push(`CREATE VIEW z${c}_${i} AS SELECT a FROM z${c}_${i - 1} UNION ALL SELECT a FROM z${c}_${i - 1};`)
  }
  lines.push(`CREATE VIEW ${name} AS ${Array.from({ length: chains }, (_, c) => `SELECT a FROM z${c}_15`).join(' UNION ALL ')};`)
  return lines.join('\n')
}
const cutView = (name: string) => ({ name, type: 'view', columns: [], columnsCut: true })
const plain = (name: string, column: string) => ({ name, type: 'table', columns: [{ name: column, type: '', notNull: false, primaryKey: false }] })

describe('readScratchList', () => {
  it('lists an ordinary database whole: every table and view, every column, in order', () => {
    const file = scratch(`
      CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT NOT NULL, born date);
      CREATE TABLE pets (owner INTEGER, name TEXT, PRIMARY KEY (owner, name));
      CREATE VIEW adults AS SELECT name FROM people;
      CREATE INDEX pets_name ON pets (name);`)
    expect(readScratchList(file, { busyMs: 0 })).toEqual({
      truncated: false,
      tables: [
        { name: 'adults', type: 'view', columns: [{ name: 'name', type: 'TEXT', notNull: false, primaryKey: false }] },
        {
          name: 'people',
          type: 'table',
          columns: [
            { name: 'id', type: 'INTEGER', notNull: false, primaryKey: true },
            { name: 'name', type: 'TEXT', notNull: true, primaryKey: false },
            { name: 'born', type: 'date', notNull: false, primaryKey: false },
          ],
        },
        {
          name: 'pets',
          type: 'table',
          columns: [
            { name: 'owner', type: 'INTEGER', notNull: false, primaryKey: true },
            { name: 'name', type: 'TEXT', notNull: false, primaryKey: true },
          ],
        },
      ],
    })
  })

  it('spends a column budget across the tables, then names the rest without columns', () => {
    const file = scratch('CREATE TABLE a (x, y, z); CREATE TABLE b (x, y, z); CREATE TABLE c (x);')
    const list = readScratchList(file, { busyMs: 0, limits: small({ columns: 4 }) })
    expect(list.truncated).toBe(true)
    expect(list.tables.map((t) => [t.name, names(t.columns), t.columnsCut ?? false])).toEqual([
      ['a', ['x', 'y', 'z'], false],
      ['b', ['x'], true],
      ['c', [], true],
    ])
  })

  it('shows only the first columns of a table wider than tableColumns', () => {
    const list = readScratchList(scratch('CREATE TABLE a (p, q, r, s); CREATE TABLE b (x);'), { busyMs: 0, limits: small({ tableColumns: 2 }) })
    expect(list.truncated).toBe(true)
    expect(list.tables.map((t) => [t.name, names(t.columns), t.columnsCut ?? false])).toEqual([
      ['a', ['p', 'q'], true],
      ['b', ['x'], false],
    ])
  })

  it('lists at most `tables` tables, and says so', () => {
    const list = readScratchList(scratch('CREATE TABLE a (x); CREATE TABLE b (x); CREATE VIEW c AS SELECT 1;'), { busyMs: 0, limits: small({ tables: 2 }) })
    expect(list).toMatchObject({ truncated: true, tables: [{ name: 'a' }, { name: 'b' }] })
    expect(list.tables).toHaveLength(2)
  })

  it('leaves out names longer than nameChars and stops at the character budget', () => {
    const long = 'N'.repeat(30) // sorts first (upper case before lower)
    const file = scratch(`CREATE TABLE "${long}" (x); CREATE TABLE a ("${long}", short); CREATE TABLE b (x TEXT); CREATE TABLE c (y);`)
    const list = readScratchList(file, { busyMs: 0, limits: small({ nameChars: 20, chars: 12 }) })
    expect(list.truncated).toBe(true)
    // a: name 1 + `short` 5 (no type); b: 1 + `x` and `TEXT` 5 = 12 in all, so c's name no longer fits
    expect(list.tables.map((t) => [t.name, names(t.columns), t.columnsCut ?? false])).toEqual([
      ['a', ['short'], true],
      ['b', ['x'], false],
    ])
  })

  it('reads a schema three times wider than its column budget within it: 62,000 columns in a table and 30 views', () => {
    // the attack (test/http/attack-scratch-wide-tables.probe.test.ts) had 499 views: 68 MB answered after 5 s
    const columns = Array.from({ length: 2000 }, (_, i) => `c${i} INTEGER NOT NULL`).join(', ')
    const views = Array.from({ length: 30 }, (_, i) => `CREATE VIEW v${String(i).padStart(2, '0')} AS SELECT * FROM w;`).join('\n')
    const list = readScratchList(scratch(`CREATE TABLE w (${columns});\n${views}`), { busyMs: 0 })
    expect(list.truncated).toBe(true)
    expect(list.tables).toHaveLength(31)
    expect(list.tables.reduce((n, t) => n + t.columns.length, 0)).toBe(SCRATCH_LIST_LIMITS.columns)
    expect(JSON.stringify(list).length).toBeLessThan(2_000_000)
  })
})

describe('scratchTablesReader', () => {
  it('reads the list in a child process, and none for a database not made yet', async () => {
    const read = scratchTablesReader()
    expect(await read(join(dir, 'nobody.sqlite'), BY_U1)).toEqual({ tables: [], truncated: false })
    const list = await read(scratch('CREATE TABLE t (id INTEGER PRIMARY KEY);'), BY_U1)
    expect(list).toEqual({ truncated: false, tables: [{ name: 't', type: 'table', columns: [{ name: 'id', type: 'INTEGER', notNull: false, primaryKey: true }] }] })
  })

  it('passes the limits to the child', async () => {
    const list = await scratchTablesReader({ limits: small({ columns: 1 }) })(scratch('CREATE TABLE t (a, b);'), BY_U1)
    expect(list).toEqual({ truncated: true, tables: [{ name: 't', type: 'table', columns: [{ name: 'a', type: '', notNull: false, primaryKey: false }], columnsCut: true }] })
  })

  it('stops a read past its time limit with a clear 503, and reads again after it', async () => {
    const file = scratch('CREATE TABLE t (x);')
    // no child boots and answers within 1 ms: the limit always passes first
    const slow = scratchTablesReader({ timeLimitMs: 1 })
    const failed = await slow(file, BY_U1).catch((e: unknown) => e)
    expect(isAppError(failed) && { kind: failed.kind, code: failed.code, status: failed.httpStatus }).toEqual({ kind: 'unavailable', code: 'scratch_too_slow', status: 503 })
    expect((failed as Error).message).toMatch(/took longer than 0.001 s and was stopped/)
    expect((await scratchTablesReader()(file, BY_U1)).tables.map((t) => t.name)).toEqual(['t'])
  })

  it('says the database is busy while a running script holds it', async () => {
    const file = scratch('CREATE TABLE t (x);')
    const writer = new Database(file)
    writer.exec('BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);') // a script in the middle of its transaction (rollback journal: readers wait)
    try {
      const failed = await scratchTablesReader()(file, BY_U1).catch((e: unknown) => e)
      expect(isAppError(failed) && failed.code).toBe('scratch_busy')
    } finally {
      writer.exec('ROLLBACK')
      writer.close()
    }
  })

  it('lists a view whose columns take its child past its memory limit without them, and goes on after it', async () => {
    // the first three names (a_top, b, c): the chains' own views are not read
    const file = scratch(`${expandingView('a_top', 2)}\nCREATE TABLE b (x);\nCREATE TABLE c (y);`)
    const read = scratchTablesReader({ limits: small({ tables: 3 }), memoryHeadroom: 48 * 2 ** 20 })
    expect(await read(file, BY_U1)).toEqual({ truncated: true, tables: [cutView('a_top'), plain('b', 'x'), plain('c', 'y')] })
  }, 60_000)

  it('past its time limit, lists the tables read so far and the rest by name, without columns', async () => {
    const file = scratch(`CREATE TABLE a (x);\n${expandingView('b_slow', 3)}\nCREATE TABLE c (y);`)
    const read = scratchTablesReader({ limits: small({ tables: 3 }), timeLimitMs: 900 }) // b_slow alone takes ~1.6 s
    await read(scratch('CREATE TABLE warm (x);'), BY_U1) // boots a child; its spare is then ready for the slow list
    await new Promise((r) => setTimeout(r, 2000))
    const started = performance.now()
    const list = await read(file, BY_U1)
    expect(performance.now() - started).toBeLessThan(900 + 1000)
    expect(list).toEqual({ truncated: true, tables: [plain('a', 'x'), cutView('b_slow'), { ...cutView('c'), type: 'table' }] })
  }, 60_000)

  it('stops a list whose client hung up: its child is killed, and the next list is read', async () => {
    const file = scratch(expandingView('a_top', 3))
    const read = scratchTablesReader({ limits: small({ tables: 1 }) })
    const hangUp = new AbortController()
    setTimeout(() => hangUp.abort(new Error('gone')), 300)
    const started = performance.now()
    await expect(read(file, { owner: 'bob', signal: hangUp.signal })).rejects.toThrow('gone')
    expect(performance.now() - started).toBeLessThan(2000)
    expect((await read(scratch('CREATE TABLE t (x);'), { owner: 'bob' })).tables.map((t) => t.name)).toEqual(['t'])
  }, 60_000)
})
