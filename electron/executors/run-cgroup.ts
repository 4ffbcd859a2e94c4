import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

// One cgroup per script run, where the machine lets JobDesk make one (Linux). Membership of a
// cgroup is inherited by every process a script starts and survives what the environment marker
// does not: a cleared environment, setsid, double fork and re-parenting to init. Only writing
// another cgroup's `cgroup.procs` takes a process out, which needs write access to that cgroup
// (a script of the same user that does so on purpose is not contained; process-tree.ts's marker
// still finds it unless it also cleared its environment).
//
// Where: a child of JobDesk's own cgroup v2 (a desktop's systemd delegates the user's subtree), else
// a `jobdesk` folder in a writable cgroup v1 freezer or pids hierarchy. Layout:
//   <parent>/jobdesk/<JobDesk pid>-<its start time>/run-<marker>
// so several JobDesk processes on one machine never touch each other's runs, and the runs of a
// JobDesk that crashed are found by its folder (its pid no longer lives with that start time).

/** What confines script runs on this machine: the kind of cgroup, or none and why. */
export interface RunConfinement {
  /** `v2`: cgroup v2 (cgroup.kill, else cgroup.freeze); `v1-freezer` / `v1-pids`: a cgroup v1 hierarchy; `none`: no cgroup could be made. */
  kind: 'v2' | 'v1-freezer' | 'v1-pids' | 'none'
  /** The folder that holds this JobDesk's run cgroups, or null for `none`. */
  base: string | null
  /** One line for the log: where runs are confined, or why they are not. */
  summary: string
}

const FOLDER = 'jobdesk'
let confinement: RunConfinement | undefined

/** Start time (clock ticks since boot) of a process, or null when it is gone. */
function startTimeOf(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return null
  }
}

interface Candidate {
  kind: Exclude<RunConfinement['kind'], 'none'>
  /** JobDesk's own cgroup in that hierarchy, as a folder. */
  own: string
}

/** The hierarchies worth trying, best first, from /proc/self/mountinfo and /proc/self/cgroup. */
function candidates(): Candidate[] {
  let mounts: string[]
  let own: string[]
  try {
    mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    own = readFileSync('/proc/self/cgroup', 'utf8').split('\n')
  } catch {
    return []
  }
  const ownPath = (controller: string | null): string | null => {
    for (const line of own) {
      const first = line.indexOf(':')
      const second = line.indexOf(':', first + 1)
      if (first < 0 || second < 0) continue
      const [id, controllers, path] = [line.slice(0, first), line.slice(first + 1, second), line.slice(second + 1)]
      if (controller === null ? id === '0' && controllers === '' : controllers.split(',').includes(controller)) return path
    }
    return null
  }
  const found: Candidate[] = []
  const add = (kind: Candidate['kind'], fstype: string, controller: string | null) => {
    for (const line of mounts) {
      const [left, right] = line.split(' - ')
      if (!right) continue
      const [type, , superOptions] = right.split(' ')
      if (type !== fstype || (controller && !superOptions.split(',').includes(controller))) continue
      const [, , , root, mountPoint] = left.split(' ')
      const path = ownPath(controller)
      if (path === null || !(root === '/' || path === root || path.startsWith(`${root}/`))) continue
      found.push({ kind, own: join(mountPoint, root === '/' ? path : path.slice(root.length)) })
      return
    }
  }
  add('v2', 'cgroup2', null)
  add('v1-freezer', 'cgroup', 'freezer')
  add('v1-pids', 'cgroup', 'pids')
  return found
}

/** Makes the folder for this JobDesk's runs in `c` and checks that a process can be moved into a cgroup there. */
function tryCandidate(c: Candidate): string {
  const base = join(c.own, FOLDER, `${process.pid}-${startTimeOf(process.pid)}`)
  const probe = join(base, 'probe')
  mkdirSync(probe, { recursive: true })
  try {
    const r = spawnSync('/bin/sh', ['-c', 'echo $$ > "$1"', 'jobdesk-probe', join(probe, 'cgroup.procs')], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5000 })
    if (r.status !== 0) throw new Error(`cannot move a process into ${probe}: ${String(r.stderr ?? r.error ?? '').trim() || `exit ${r.status}`}`)
  } finally {
    removeNow(probe)
  }
  return base
}

/**
 * Finds out, once per JobDesk process, whether script runs get a cgroup of their own (see the top of
 * this file). Never throws: where no cgroup can be made (macOS, Windows, no permission) the kind is
 * `none` and the summary says why.
 */
export function runConfinement(): RunConfinement {
  if (confinement) return confinement
  if (process.platform !== 'linux') {
    confinement = { kind: 'none', base: null, summary: `no cgroups on ${process.platform}` }
    return confinement
  }
  const reasons: string[] = []
  for (const c of candidates()) {
    try {
      const base = tryCandidate(c)
      process.once('exit', () => removeNow(base)) // its runs are gone by then, unless one escaped the kill; the next start removes that
      confinement = { kind: c.kind, base, summary: `each run in its own cgroup (${c.kind}) under ${base}` }
      return confinement
    } catch (e) {
      reasons.push(`${c.kind} at ${c.own}: ${(e as Error).message}`)
    }
  }
  confinement = { kind: 'none', base: null, summary: `no cgroup can be made (${reasons.join('; ') || 'no cgroup v2, freezer or pids hierarchy is mounted'})` }
  return confinement
}

/**
 * Makes the cgroup for one run (`name`: the run's marker) and returns its folder, or null where
 * runs are not confined or it could not be made (the run then relies on process-tree.ts alone).
 */
export function createRunCgroup(name: string): string | null {
  const { base } = runConfinement()
  if (!base) return null
  const dir = join(base, `run-${name}`)
  try {
    mkdirSync(dir)
    return dir
  } catch {
    return null
  }
}

/**
 * The command that runs `command args` inside the cgroup `dir`: a shell writes its own pid into
 * cgroup.procs and then execs the command (same pid), so the script's first instruction already
 * runs in the cgroup. (Writing the child's pid from JobDesk after spawn would leave a window in
 * which a script that forks at once, e.g. `setsid sleep &`, puts a child outside.) `command` must
 * be a path the shell can exec; a failed move leaves the run to process-tree.ts, it still runs.
 */
export function inCgroup(dir: string, command: string, args: string[]): [string, string[]] {
  return ['/bin/sh', ['-c', 'echo $$ 2>/dev/null >"$1"; shift; exec "$@"', 'jobdesk-run', join(dir, 'cgroup.procs'), command, ...args]]
}

const readPids = (file: string): number[] => {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number)
  } catch {
    return []
  }
}

const subfolders = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(dir, e.name))
  } catch {
    return []
  }
}

/** Pids in the cgroup `dir` and the cgroups below it (a script may make some); [] when it is gone. */
export function cgroupMembers(dir: string): number[] {
  return [...readPids(join(dir, 'cgroup.procs')), ...subfolders(dir).flatMap(cgroupMembers)]
}

const read = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return ''
  }
}

const write = (file: string, value: string): boolean => {
  try {
    writeFileSync(file, value)
    return true
  } catch {
    return false
  }
}

const kill = (pid: number) => {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // gone already
  }
}

/**
 * Kills every process in the cgroup `dir` and below it so that none can fork meanwhile: cgroup v2's
 * cgroup.kill where the kernel has it (5.14+), else freeze first (cgroup.freeze, or v1's
 * freezer.state) or forbid forks (v1 pids.max = 0), then SIGKILL every member. Returns at once:
 * the killed processes leave the cgroup as they exit. Does nothing for a folder that is gone.
 */
export function killCgroup(dir: string): void {
  if (!existsSync(dir)) return
  if (write(join(dir, 'cgroup.kill'), '1')) return
  const v1Freezer = existsSync(join(dir, 'freezer.state'))
  if (v1Freezer) {
    write(join(dir, 'freezer.state'), 'FROZEN')
    // a freeze finishes within microseconds unless a task sleeps uninterruptibly; then kill anyway
    for (let i = 0; i < 200 && read(join(dir, 'freezer.state')) === 'FREEZING'; i++);
  } else if (!write(join(dir, 'cgroup.freeze'), '1')) {
    write(join(dir, 'pids.max'), '0')
    for (const sub of subfolders(dir)) write(join(sub, 'pids.max'), '0')
  }
  // A fork in flight while freezing or limiting can still add a member: kill until a pass finds nothing new.
  const killed = new Set<number>()
  for (let round = 0; round < 5; round++) {
    const fresh = cgroupMembers(dir).filter((p) => !killed.has(p))
    if (fresh.length === 0) break
    for (const pid of fresh) {
      kill(pid)
      killed.add(pid)
    }
  }
  if (v1Freezer) write(join(dir, 'freezer.state'), 'THAWED') // a v1-frozen process dies only once thawed; with SIGKILL pending it cannot fork
}

function removeNow(dir: string): boolean {
  for (const sub of subfolders(dir)) removeNow(sub)
  try {
    rmdirSync(dir)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT'
  }
}

/**
 * Kills what is left in the cgroup `dir` and removes it once empty, retrying for a few seconds
 * while killed processes finish exiting (asynchronous; never throws). What still remains is
 * removed by the next start (cleanStaleRunCgroups).
 */
export function releaseCgroup(dir: string, attempts = 50): void {
  killCgroup(dir)
  if (removeNow(dir) || attempts <= 1) return
  setTimeout(() => releaseCgroup(dir, attempts - 1), 100).unref()
}

/**
 * Kills what the runs of JobDesk processes that no longer live (a crash) left in their cgroups and
 * removes those cgroups, in every hierarchy JobDesk might have used; the cgroups of live JobDesk
 * processes, this one's included, are left alone. Called at each start, before recovery. Never throws.
 */
export function cleanStaleRunCgroups(): void {
  if (process.platform !== 'linux') return
  for (const c of candidates()) cleanStale(join(c.own, FOLDER))
}

function cleanStale(folder: string): void {
  for (const instance of subfolders(folder)) {
    const m = /(\d+)-(\d+)$/.exec(instance)
    if (!m || startTimeOf(Number(m[1])) === m[2]) continue // a live JobDesk's, maybe this one's
    releaseCgroup(instance) // kills the members of all its runs, then removes them and it
  }
}
