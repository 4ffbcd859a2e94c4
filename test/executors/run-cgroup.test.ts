// A run's cgroup holds what a script starts however it hides (cleared environment, setsid, a parent
// that ends at once, a fork loop), and killing it leaves nothing. Each writable hierarchy of this
// machine is tried on its own (JobDesk itself uses only the first that works), so the v1 freezer and
// pids paths are covered where the app would pick cgroup v2.
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { cgroupMembers, inCgroup, killCgroup, releaseCgroup, runConfinement } from '../../electron/executors/run-cgroup'
import { sleepers, uniqueSleep } from '../support/processes'

/** Writable hierarchies of the kinds JobDesk uses, read from /proc/self/mounts (not through JobDesk). */
function hierarchies(): { kind: string; mount: string }[] {
  const out: { kind: string; mount: string }[] = []
  for (const line of readFileSync('/proc/self/mounts', 'utf8').split('\n')) {
    const [, dir, type, options = ''] = line.split(' ')
    const kind = type === 'cgroup2' ? 'v2' : type === 'cgroup' ? ['freezer', 'pids'].find((c) => options.split(',').includes(c)) : undefined
    if (!kind || out.some((h) => h.kind === kind)) continue
    try {
      // run-cgroup.ts's layout, so a start of JobDesk removes what a crashed run of this test leaves
      const stat = readFileSync('/proc/self/stat', 'utf8')
      const instance = join(dir, 'jobdesk', `${process.pid}-${stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]}`)
      mkdirSync(instance, { recursive: true })
      out.push({ kind: kind === 'v2' ? 'v2' : `v1-${kind}`, mount: instance }) // folder for this test's cgroups
    } catch {
      // not writable for this user
    }
  }
  return out
}

const found = hierarchies()
afterAll(() => {
  for (const { mount } of found) releaseCgroup(mount) // and what a failed case left in it
})

describe('run cgroups', () => {
  it('JobDesk confines runs wherever a hierarchy is writable, and says why not where it does not', () => {
    // (JobDesk may also find a delegated cgroup below the mount, which this test does not look for)
    if (found.length > 0) expect(runConfinement().kind).not.toBe('none')
    if (runConfinement().kind === 'none') expect(runConfinement().summary).toMatch(/^(no cgroups on \w+|no cgroup can be made \(.+\))$/)
    else expect(runConfinement().summary).toMatch(/^each run in its own cgroup \((v2|v1-freezer|v1-pids)\) under \/.+\/jobdesk\/\d+-\d+$/)
  })

  for (const { kind, mount } of found) {
    it(`${kind}: killing the cgroup ends hidden processes and a fork loop, then it is removed`, async () => {
      const dir = join(mount, `run-test-${kind}`)
      mkdirSync(dir)
      const n = uniqueSleep()
      const script = [
        `env -i /bin/sh -c "setsid sleep ${n} >/dev/null 2>&1 &"`, // no marker, no parent, no group
        `setsid /bin/sh -c 'while :; do sleep ${n + 1} & done' >/dev/null 2>&1 &`, // forks while it is killed
        'sleep 600',
      ].join('\n')
      const [command, args] = inCgroup(dir, '/bin/sh', ['-c', script])
      const child = spawn(command, args, { stdio: 'ignore', detached: true })
      await expect.poll(() => sleepers(n).length + Math.min(sleepers(n + 1).length, 1), { timeout: 10_000 }).toBe(2)
      expect(cgroupMembers(dir)).toContain(child.pid)

      killCgroup(dir)
      await expect.poll(() => cgroupMembers(dir), { timeout: 5000 }).toEqual([])
      expect(sleepers(n)).toEqual([])
      expect(sleepers(n + 1)).toEqual([])
      releaseCgroup(dir)
      await expect.poll(() => existsSync(dir), { timeout: 5000 }).toBe(false)
    }, 30_000)
  }
})
