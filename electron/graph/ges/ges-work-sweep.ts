// GES work folders (`<upload folder>/.ges-import/<job>`, split files as big as the data) that a
// JobDesk killed mid-import left behind. At start-up, before the engine runs a task, no import of
// this process has made one yet, so every folder there belongs to a dead process: each is set aside
// by one rename (`stale-<time>-<job>`: an import run again under the same job uuid gets a fresh
// folder, never one being removed) and removed later in a graph worker (GraphHost.removeGesWorkDir:
// 20,000 files removed on the main thread held it 340-446 ms). The job itself is failed by recovery
// (ges-import tasks are not run twice: engine/recovery.ts).
import { lstatSync, readdirSync, renameSync, type Dirent } from 'node:fs'
import { join } from 'node:path'
import type { GraphHost } from '../worker/graph-host'
import { uploadsDir } from '../upload-paths'
import { WORK_ROOT } from './ges-split'

/** A work folder set aside for removal: its path, the job uuid it was named by, and the user whose upload folder holds it. */
export interface StaleGesWorkDir {
  dir: string
  job: string
  user: string
}

/** `stale-<ms>-<job>`: a set-aside folder (a job's folder is its uuid, never this shape). */
const STALE = /^stale-\d+-([\w-]+)$/
/** A job's folder as makeWorkDir names it (removeWorkDir takes no other name). */
const WORK_NAME = /^[\w-]+$/

/** The entries of a folder, or none when it cannot be read (gone, not a folder, no access). */
function entries(dir: string): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
  } catch {
    return []
  }
}

/**
 * Sets aside every GES work folder under `<dataDir>/upload_files/<user>/.ges-import/` (renamed
 * `stale-<now>-<job>` in place) and returns them with those an earlier start set aside and did not
 * remove. Call it at start-up before the engine runs any task. Symbolic links (a user folder, a
 * `.ges-import` or an entry in it) are not followed. Never throws: a folder it cannot rename is
 * passed to `warn` and left for the next start.
 */
export function setAsideGesWorkDirs(dataDir: string, warn: (text: string) => void, now = Date.now()): StaleGesWorkDir[] {
  const stale: StaleGesWorkDir[] = []
  for (const user of entries(uploadsDir(dataDir))) {
    if (!user.isDirectory()) continue
    const root = join(uploadsDir(dataDir), user.name, WORK_ROOT)
    try {
      if (!lstatSync(root).isDirectory()) continue
    } catch {
      continue // no GES import ever ran for this user
    }
    for (const e of entries(root)) {
      if (!e.isDirectory() || !WORK_NAME.test(e.name)) continue
      const set = STALE.exec(e.name)
      if (set) {
        stale.push({ dir: join(root, e.name), job: set[1], user: user.name })
        continue
      }
      const dir = join(root, `stale-${now}-${e.name}`)
      try {
        renameSync(join(root, e.name), dir)
        stale.push({ dir, job: e.name, user: user.name })
      } catch (err) {
        warn(`could not set aside the GES work folder ${join(root, e.name)} a stopped import left: ${(err as Error).message}; the next start tries again`)
      }
    }
  }
  return stale
}

/**
 * Removes the folders `setAsideGesWorkDirs` returned, one after another, each in a graph worker;
 * calls `done` after each with the error when it could not be removed (then the next start tries
 * again). Never rejects.
 */
export async function removeStaleGesWorkDirs(stale: StaleGesWorkDir[], host: Pick<GraphHost, 'removeGesWorkDir'>, done: (s: StaleGesWorkDir, error?: Error) => void): Promise<void> {
  for (const s of stale) {
    try {
      await host.removeGesWorkDir(s.dir)
      done(s)
    } catch (e) {
      done(s, e as Error)
    }
  }
}
