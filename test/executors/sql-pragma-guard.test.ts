// A SQL job cannot move SQLite's temporary data out of its process's memory, nor change how its
// scratch database writes (#9, atk13): sql-guard.ts refuses those pragmas from the statement's text,
// before SQLite compiles it (compiling applies them, even under EXPLAIN), however the pragma is spelt.
// Each case runs on a real scratch database held as a SQL job's is (scratch-limit.ts limitScratch),
// and checks that the setting is still what it was.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { limitScratch } from '../../electron/executors/scratch-limit'
import { prepareAllowed } from '../../electron/executors/sql-guard'
import { pragmaOf } from '../../electron/executors/sql-pragma'
import { splitStatements } from '../../electron/executors/sql-split'

let dir: string
let db: Database.Database
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sql-pragma-guard-'))
  db = new Database(join(dir, 'scratch.sqlite'))
  db.pragma('journal_mode = WAL')
  limitScratch(db)
})
afterAll(() => {
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

/** What the refused pragmas would change, as the job's connection has it. */
const settings = () => ({
  tempStore: db.pragma('temp_store', { simple: true }),
  tempDirectory: db.pragma('temp_store_directory', { simple: true }) ?? '',
  journalMode: db.pragma('journal_mode', { simple: true }),
  autocheckpoint: db.pragma('wal_autocheckpoint', { simple: true }),
})

describe('refused pragmas', () => {
  const refused: [string, RegExp][] = [
    ["PRAGMA temp_store_directory = '/dev/shm'", /^PRAGMA temp_store_directory is not allowed: a SQL job cannot choose where SQLite writes files/],
    ["pragma TEMP_STORE_DIRECTORY='/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["PRAGMA main.temp_store_directory = '/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["PRAGMA \"main\" . \"temp_store_directory\" = '/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["/* tidy up */ PRAGMA -- where?\n `temp_store_directory`\n=\n'/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["EXPLAIN PRAGMA temp_store_directory = '/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["EXPLAIN QUERY PLAN PRAGMA temp_store_directory = '/dev/shm'", /PRAGMA temp_store_directory is not allowed/],
    ["PRAGMA data_store_directory = '/dev/shm'", /PRAGMA data_store_directory is not allowed/],
    ['PRAGMA temp_store = FILE', /^PRAGMA temp_store is not allowed: a SQL job's temporary data .* stays in its process's memory/],
    ['PRAGMA temp_store = 1', /PRAGMA temp_store is not allowed/],
    ["PRAGMA 'temp_store' = 'file'", /PRAGMA temp_store is not allowed/],
    ['PRAGMA [temp_store](1)', /PRAGMA temp_store is not allowed/],
    ['PRAGMA temp.TeMp_StOrE==1', /PRAGMA temp_store is not allowed/],
    ['PRAGMA temp_store', /PRAGMA temp_store is not allowed/], // reading it too: no job needs it
    ['PRAGMA wal_autocheckpoint = 0', /^setting PRAGMA wal_autocheckpoint is not allowed: without checkpoints/],
    ['PRAGMA main.wal_autocheckpoint(0)', /setting PRAGMA wal_autocheckpoint is not allowed/],
    ['PRAGMA journal_mode = OFF', /^setting PRAGMA journal_mode is not allowed: a scratch database keeps its WAL journal/],
    ['PRAGMA "journal_mode" = memory', /setting PRAGMA journal_mode is not allowed/],
  ]
  it.each(refused)('%j fails naming the pragma, and changes nothing', (sql, message) => {
    const before = settings()
    expect(() => prepareAllowed(db, sql)).toThrow(message)
    expect(settings()).toEqual(before)
  })

  it('keeps what limitScratch set: temporary data in memory (2), no temp folder of the job’s choosing, WAL', () => {
    expect(settings()).toEqual({ tempStore: 2, tempDirectory: '', journalMode: 'wal', autocheckpoint: 1000 })
  })

  it('refuses the pragma in any statement of a script, by its place in the script', () => {
    const script = "select 1;\n/* now */ PRAGMA main.temp_store_directory = '/dev/shm'; select 2"
    const failures = splitStatements(script).flatMap((s) => {
      try {
        prepareAllowed(db, s.text)
        return []
      } catch (e) {
        return [`line ${s.line}: ${(e as Error).message}`]
      }
    })
    expect(failures).toEqual([expect.stringMatching(/^line 2: PRAGMA temp_store_directory is not allowed/)])
  })
})

describe('what stays allowed', () => {
  it.each([
    'PRAGMA journal_mode',
    'PRAGMA wal_autocheckpoint',
    'PRAGMA cache_size = -4000',
    "SELECT 'PRAGMA temp_store = 1' AS text",
    'SELECT * FROM pragma_temp_store', // the table-valued form only reads (SQLite allows no argument)
    'PRAGMA table_info(sqlite_master)',
    'PRAGMA temp_store_directory_x = 1', // no such pragma: SQLite ignores it
  ])('%j', (sql) => {
    const stmt = prepareAllowed(db, sql)
    expect(() => (stmt.reader ? stmt.all() : stmt.run())).not.toThrow()
  })
})

describe('pragmaOf reads a statement as SQLite does', () => {
  it.each([
    ['PRAGMA foo', { name: 'foo', sets: false }],
    ['PRAGMA s.foo = 1', { name: 'foo', sets: true }],
    ["PRAGMA [a b] . 'it''s' (1)", { name: "it's", sets: true }],
    ['explain   query\tplan pragma "Foo"', { name: 'foo', sets: false }],
    ['-- c\nPRAGMA/* c */foo/* c */=1', { name: 'foo', sets: true }],
    ['PRAGMA ÄBC', { name: 'Äbc', sets: false }], // SQLite folds ASCII only
    ['SELECT 1', null],
    ['EXPLAIN SELECT 1', null],
    ['EXPLAIN QUERY SELECT 1', null],
    ['PRAGMA "unclosed', null],
    ['PRAGMA', null],
  ] as const)('%j', (sql, expected) => {
    expect(pragmaOf(sql)).toEqual(expected)
  })
})
