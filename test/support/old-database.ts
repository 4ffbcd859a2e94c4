import Database from 'better-sqlite3'
import { MIGRATIONS, runMigration } from '../../electron/store/migrations'

/**
 * A database file at `file` as a JobDesk of schema `version` left it: the first `version` migrations
 * run and user_version set, then `seed` run on it (the rows a migration after it must keep), and
 * closed; returns what `seed` returns (ids it made). Opening it with openStore (or openDatabase) then
 * runs the migrations from `version` on.
 */
export function oldDatabase<T>(file: string, version: number, seed: (db: Database.Database) => T): T {
  const old = new Database(file)
  try {
    for (const m of MIGRATIONS.slice(0, version)) runMigration(old, m, () => undefined)
    old.pragma(`user_version = ${version}`)
    return seed(old)
  } finally {
    old.close()
  }
}
