// The one rule for a file name derived from a user name (a user's scratch SQLite database). Names
// reach JobDesk unchecked (a Linkis Token-User needs no local account), file systems alias names
// (Windows and macOS ignore case, Windows drops trailing dots and opens devices for CON, NUL, …), and
// two users must never share a file. So the mapping is injective also when names are compared the
// way those systems compare them.
import { createHash } from 'node:crypto'
import { existsSync, renameSync } from 'node:fs'
import { join } from 'node:path'
import { folderNameProblem, USERNAME } from '../shared/file-names'

/** Names that are their own file name everywhere: a local account's name that no system aliases (no device name, no trailing dot). */
const isPlain = (name: string): boolean => USERNAME.test(name) && folderNameProblem(name) === null

/**
 * The file-name stem (no extension) of user `name`: the name itself when it is plain (lower-case
 * ASCII letters, digits, `.`, `_`, `-`, as local accounts are, and not a name Windows aliases), else
 * a readable lower-case prefix, `+` and 80 bits of SHA-256 of the exact name. `+` is in no plain name,
 * so the two kinds never meet, and every stem is lower case ASCII, so no two differ only in case.
 */
export function userFileStem(name: string): string {
  if (isPlain(name)) return name
  const readable = name.toLowerCase().replace(/[^a-z0-9_-]/g, '_').slice(0, 32)
  return `${readable}+${createHash('sha256').update(name, 'utf8').digest('hex').slice(0, 20)}`
}

/**
 * The scratch SQLite file of user `name` under `scratchRoot` (what their SQL scripts run on).
 * Before this rule the file was `<name>.sqlite` for a name of only [a-z0-9._-] (other characters became
 * `_`); a lower-case name of those characters that is not plain (an account made before device names
 * and trailing dots were refused: `con`, `alice.`) had its own file there, which moves to the new name
 * (with its -wal and -shm) the first time it is asked for, so nobody loses their tables on upgrade.
 */
export function scratchFileOf(scratchRoot: string, name: string): string {
  const file = join(scratchRoot, `${userFileStem(name)}.sqlite`)
  if (!isPlain(name) && /^[a-z0-9._-]+$/.test(name) && !existsSync(file)) adopt(join(scratchRoot, `${name}.sqlite`), file)
  return file
}

function adopt(legacy: string, file: string): void {
  for (const suffix of ['-wal', '-shm', '']) {
    try {
      // the database last, so a crash in between leaves the legacy file to adopt again
      if (existsSync(legacy + suffix)) renameSync(legacy + suffix, file + suffix)
    } catch {
      // a device name on Windows, or another job adopting it now: nothing to move
    }
  }
}
