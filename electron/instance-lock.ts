// One JobDesk per data folder. A second one on the same folder would take the first one's running
// jobs for a crash's leftovers at its start (engine recovery): fail them, kill their processes, and
// write into the same jobs. So a JobDesk holds an OS lock on <data>/instance.lock for as long as it
// runs: SQLite's own file lock (fcntl on Unix, LockFileEx on Windows), taken exclusively and kept
// (locking_mode EXCLUSIVE). The kernel drops it when the process ends, kill -9 included, so there is
// no stale lock to guess about; SQLite also refuses a second connection of the same process.
// (proper-lockfile, the well-kept alternative, keeps a folder whose mtime the holder refreshes: a
// lock left by kill -9 blocks the next start until it is judged stale, 10 s by default, and a main
// thread held longer than that, as on a loaded machine, loses its lock to a second start.)
// The lock file cannot be read while held, so who holds it is written beside it in instance.json.
import Database from 'better-sqlite3'
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { isBusy } from './store/connection'

/** The lock file's name in the data folder (an SQLite file; never removed, see release). */
export const LOCK_FILE = 'instance.lock'
/** The note of who holds the lock, beside it. */
export const NOTE_FILE = 'instance.json'

/** What instance.json says about the JobDesk that holds a data folder. */
export interface InstanceNote {
  pid: number
  /** When it took the folder (epoch ms). */
  startedAt: number
  /** Where it serves, once it listens (null before). */
  url: string | null
}

/** Another JobDesk holds the data folder; the message says which one and what to do. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    /** Its note, if one could be read that names a live process. */
    readonly holder: InstanceNote | undefined,
  ) {
    super(inUseMessage(dataDir, holder))
    this.name = 'DataDirInUseError'
  }
}

/** The data folder held by this process. */
export interface InstanceLock {
  /** Records where this JobDesk serves, for the message a second start shows. */
  announce(url: string): void
  /** Removes the note and lets the folder go (idempotent); after this another JobDesk may start on it. */
  release(): void
}

/**
 * Takes `dataDir` for this process (creating the folder if needed), before anything in it is opened.
 * @throws DataDirInUseError when another JobDesk (another process, or another app of this one) holds it
 * @throws the file system's or SQLite's error when the lock file cannot be made at all (a read-only folder)
 */
export function lockDataDir(dataDir: string, now: () => number = Date.now): InstanceLock {
  mkdirSync(dataDir, { recursive: true })
  // timeout 0: a held lock is refused at once, not waited for
  const db = new Database(join(dataDir, LOCK_FILE), { timeout: 0 })
  try {
    db.pragma('locking_mode = EXCLUSIVE') // kept after the write's commit, until the connection closes
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL); DELETE FROM holder;')
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid)
    db.exec('COMMIT')
  } catch (e) {
    db.close()
    if (isBusy(e)) throw new DataDirInUseError(dataDir, readHolder(dataDir))
    throw e
  }
  const note: InstanceNote = { pid: process.pid, startedAt: now(), url: null }
  writeNote(dataDir, note)
  let held = true
  return {
    announce(url) {
      if (held) writeNote(dataDir, { ...note, url })
    },
    release() {
      if (!held) return
      held = false
      rmSync(join(dataDir, NOTE_FILE), { force: true }) // first: the next holder writes its own once it has the lock
      // The lock file stays: removing it could let two processes lock two different files of that name.
      db.close()
    },
  }
}

/** The note of the holder of `dataDir`, if it names a process that lives (a crash's note names one that is gone). */
function readHolder(dataDir: string): InstanceNote | undefined {
  try {
    const note = JSON.parse(readFileSync(join(dataDir, NOTE_FILE), 'utf8')) as InstanceNote
    if (!Number.isSafeInteger(note.pid) || !alive(note.pid)) return undefined
    return note
  } catch {
    return undefined // none yet: the holder is just starting
  }
}

/** Whether process `pid` lives (as any user); false once it has ended. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' // lives, as another user
  }
}

function writeNote(dataDir: string, note: InstanceNote): void {
  // whole or not at all: a second start may read it at any moment
  const file = join(dataDir, NOTE_FILE)
  writeFileSync(`${file}.tmp`, `${JSON.stringify(note)}\n`)
  renameSync(`${file}.tmp`, file)
}

function inUseMessage(dataDir: string, holder: InstanceNote | undefined): string {
  const who = holder
    ? ` (pid ${holder.pid} since ${new Date(holder.startedAt).toISOString().slice(0, 19).replace('T', ' ')} UTC${holder.url ? `, at ${holder.url}` : ''})`
    : ''
  return `JobDesk is already running on the data folder ${dataDir}${who}; stop it, or choose another folder with --data`
}
