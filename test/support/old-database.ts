import Database from 'better-sqlite3'
import { MIGRATIONS, runMigration } from '../../electron/store/migrations'

/**
 * A connection to a database file at `file` as a JobDesk of schema `version` left it: the first
 * `version` migrations run (silently) and user_version set. Left open, for a test that reads it before
 * the upgrade or upgrades this very connection (migrate); the caller closes it. Throws what a
 * migration throws (the connection is then closed).
 */
export function openOldDatabase(file: string, version: number): Database.Database {
  const old = new Database(file)
  try {
    for (const m of MIGRATIONS.slice(0, version)) runMigration(old, m, () => undefined)
    old.pragma(`user_version = ${version}`)
    return old
  } catch (e) {
    old.close()
    throw e
  }
}

/**
 * A database file at `file` as a JobDesk of schema `version` left it (openOldDatabase), then `seed`
 * run on it (the rows a migration after it must keep), and closed; returns what `seed` returns (ids it
 * made). Opening it with openStore (or openDatabase) then runs the migrations from `version` on.
 */
export function oldDatabase(file: string, version: number): void
export function oldDatabase<T>(file: string, version: number, seed: (db: Database.Database) => T): T
export function oldDatabase<T>(file: string, version: number, seed?: (db: Database.Database) => T): T | undefined {
  const old = openOldDatabase(file, version)
  try {
    return seed?.(old)
  } finally {
    old.close()
  }
}
