import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

// Killing a task's whole process tree, including after a crash of JobDesk itself.

/** Process start time in clock ticks since boot (Linux), to tell a live process from a reused pid. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null
  } catch {
    return null
  }
}

/** Kills every process of the group (POSIX) or the tree (Windows). Quietly does nothing if it is gone. */
export function killTree(pid: number, signal: NodeJS.Signals = 'SIGKILL'): void {
  if (process.platform === 'win32') {
    spawnSync('taskkill', ['/pid', String(pid), '/T', '/F'], { stdio: 'ignore' })
    return
  }
  try {
    process.kill(-pid, signal)
  } catch {
    // ESRCH: the group has already gone
  }
}

/** Pids of live (not zombie) processes in a process group (Linux /proc), started no earlier than `since`. */
export function groupMembers(pgid: number, since: string | null): number[] {
  const found: number[] = []
  let entries: string[] = []
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return found
  }
  for (const e of entries) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const [state, , pgrpText] = fields
      const start = fields[19]
      if (state === 'Z' || state === 'X') continue // dead, only waiting to be reaped
      if (Number(pgrpText) === pgid && (since === null || BigInt(start) >= BigInt(since))) found.push(Number(e))
    } catch {
      // the process ended while we looked
    }
  }
  return found
}
