import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { cgroupMembers, killCgroup } from './run-cgroup'

// Finding and killing every process a script started, including those that left its process group
// (setsid, double fork, Python's start_new_session, setpgid, daemons) and after a crash of JobDesk.
//
// What holds where:
// - Linux with a cgroup JobDesk can make (run-cgroup.ts; cgroup v2 delegated to the user, or a
//   writable v1 freezer or pids hierarchy): every process the script starts is in the run's cgroup,
//   whatever it does to its environment, session or parent; a kill takes the whole cgroup without
//   a fork escaping (cgroup.kill, or freeze / forbid forks, then SIGKILL). Only a script that moves
//   itself out of the cgroup on purpose (it runs as the same user) escapes that part.
// - Everywhere, and alone on Linux without a cgroup: each run gets a marker in its environment
//   (RUN_MARKER_ENV=<random id>). Every descendant inherits it, whatever group or session it moves
//   to, and keeps it when re-parented to init; /proc/<pid>/environ shows it for processes of the
//   same user. A kill takes every process that carries the marker, every descendant of one (a child
//   started with a cleared environment, while its parent lives) and the original process group. A
//   process that clears its environment AND loses its parent before JobDesk looks is not found.
// - Where there is no /proc (macOS), the process group is what can be reached; on Windows,
//   taskkill /T walks the tree.

/** The environment variable that marks a run's processes. */
export const RUN_MARKER_ENV = 'JOBDESK_RUN'

/** What identifies a run's processes: its first process and the marker its environment carries. */
export interface RunHandle {
  pid: number
  marker: string
  /** Start time (clock ticks since boot) of `pid`, to tell it from a later process that reuses the pid. */
  startTime: string | null
  /** Processes seen in the run before (pid → start time): found again even once re-parented without a marker. */
  seen?: Map<number, string>
  /** The run's cgroup folder (run-cgroup.ts), where one could be made. */
  cgroup?: string | null
}

export const newRunMarker = (): string => randomUUID()

interface ProcInfo {
  pid: number
  ppid: number
  pgrp: number
  state: string
  start: string
}

const hasProc = process.platform === 'linux'

function readStat(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return { pid, state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] }
  } catch {
    return null // it ended while we looked
  }
}

function allProcesses(): ProcInfo[] {
  if (!hasProc) return []
  let entries: string[]
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e))
  } catch {
    return []
  }
  const out: ProcInfo[] = []
  for (const e of entries) {
    const info = readStat(Number(e))
    if (info && info.state !== 'Z' && info.state !== 'X' && info.pid !== process.pid) out.push(info) // zombies only wait to be reaped
  }
  return out
}

function carriesMarker(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(needle)
  } catch {
    return false // gone, or not ours to read
  }
}

/** Process start time in clock ticks since boot (Linux), to tell a live process from a reused pid. */
export function processStartTime(pid: number): string | null {
  return readStat(pid)?.start ?? null
}

/** Pids of live (not zombie) processes in a process group (Linux /proc), started no earlier than `since`. */
export function groupMembers(pgid: number, since: string | null): number[] {
  return allProcesses()
    .filter((p) => p.pgrp === pgid && (since === null || BigInt(p.start) >= BigInt(since)))
    .map((p) => p.pid)
}

/**
 * Live processes of a run (Linux): the members of its cgroup, those carrying its marker, their
 * descendants, and the members of its first process's group started since it (the group id is only
 * trusted while the first process, or its start time, says the group is still the run's).
 */
export function runProcesses(run: RunHandle): number[] {
  const procs = allProcesses()
  const needle = `${RUN_MARKER_ENV}=${run.marker}`
  const live = new Set(procs.map((p) => p.pid))
  const found = new Set<number>(run.cgroup ? cgroupMembers(run.cgroup).filter((pid) => live.has(pid)) : [])
  const since = run.startTime === null ? null : BigInt(run.startTime)
  for (const p of procs) {
    if (p.pgrp === run.pid && since !== null && BigInt(p.start) >= since) found.add(p.pid)
    else if (run.seen?.get(p.pid) === p.start) found.add(p.pid)
    else if (run.marker && carriesMarker(p.pid, needle)) found.add(p.pid)
  }
  // descendants of anything found (a child started with a cleared environment)
  const children = new Map<number, number[]>()
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid])
  const queue = [...found]
  while (queue.length) {
    for (const c of children.get(queue.pop()!) ?? []) {
      if (!found.has(c)) {
        found.add(c)
        queue.push(c)
      }
    }
  }
  if (run.seen) for (const p of procs) if (found.has(p.pid)) run.seen.set(p.pid, p.start)
  return [...found]
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig)
  } catch {
    // ESRCH: already gone
  }
}

/** Sends `sig` to the run's group and to every process of the run. Quietly does nothing for what is gone. */
export function signalRun(run: RunHandle, sig: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    if (sig === 'SIGKILL' || sig === 'SIGTERM') spawnSync('taskkill', ['/pid', String(run.pid), '/T', '/F'], { stdio: 'ignore' })
    return
  }
  const pids = runProcesses(run) // before the group goes: a child it leaves behind is found through it
  signal(-run.pid, sig)
  for (const pid of pids) signal(pid, sig)
}

/**
 * Kills every process of the run and returns how many rounds it took (0: nothing was left). The
 * run's cgroup, if it has one, is killed first (run-cgroup.ts: no fork escapes it). Then each round
 * stops what it finds (SIGSTOP: a stopped process cannot fork) and then kills it, until a scan finds
 * nothing; a process forking in a loop cannot outrun it for long.
 */
export function killRun(run: RunHandle, maxRounds = 50): number {
  if (run.cgroup) killCgroup(run.cgroup)
  if (process.platform === 'win32' || !hasProc) {
    signalRun(run, 'SIGKILL')
    return 1
  }
  for (let round = 0; round < maxRounds; round++) {
    const pids = runProcesses(run)
    if (pids.length === 0) return round
    for (const pid of pids) signal(pid, 'SIGSTOP')
    signal(-run.pid, 'SIGKILL')
    for (const pid of pids) signal(pid, 'SIGKILL')
  }
  return maxRounds
}
