// Sorted exports' temporary folders (export-runner.ts childRunner): under <data>/export-sort/, one folder
// per process, named by its pid, holding one folder per export. A process removes only what a process
// no longer running left (a crash's sort files): two exporters on one data folder, in one process or
// two, never remove each other's live sort files.
import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { alive } from '../../instance-lock'

/**
 * This process's sort folder under `root` (`<root>/<pid>`, made by the first export that needs it),
 * once the folders of processes that are gone are removed from `root`: one named by a pid that no
 * longer lives, or by anything else (a crash's, from before folders were per process). A folder of a
 * live pid is kept, this process's own included. (A pid the system gave again to another process
 * keeps its folder until that one ends.) A `root` that cannot be read is left as it is; throws only
 * when a folder to remove cannot be removed (rmSync's error).
 */
export function processSortRoot(root: string): string {
  let names: string[] = []
  try {
    names = readdirSync(root)
  } catch {
    // none yet, or not a folder: the first export's mkdir says so
  }
  for (const name of names) {
    const pid = /^[1-9]\d{0,9}$/.test(name) ? Number(name) : undefined
    if (pid === undefined || !alive(pid)) rmSync(join(root, name), { recursive: true, force: true })
  }
  return join(root, String(process.pid))
}
