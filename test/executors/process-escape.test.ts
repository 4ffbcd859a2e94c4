// Cancel, timeout and Linkis kill stop every process a script started, also those that left its
// process group (#9 §5): setsid, double fork, nohup, start_new_session, setpgid, daemons. And a
// script that exits while a background child holds its stdout is settled when it exits.
//
// Each escapee ends as `sleep <n>` with an n unique to this run, so the test finds leftovers by
// their command line, independently of how JobDesk finds them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'
import { sleepers, timedOutAfterEscape, uniqueSleep } from '../support/processes'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
beforeAll(async () => {
  t = await startTestApp({ concurrency: 16 })
  linkis = linkisClient(t.url)
  await linkis.login()
})
afterAll(() => t.close())

let next = uniqueSleep()
type Pattern = { name: string; language: 'shell' | 'python'; code: (n: number) => string }
const py = (body: string) => `import os, subprocess, sys, time\n${body}\nprint('ready', flush=True)\ntime.sleep(600)`
const daemonize = (n: number) => `def daemon():
    if os.fork(): return
    os.setsid()
    if os.fork(): os._exit(0)
    fd = os.open(os.devnull, os.O_RDWR)
    for i in (0, 1, 2): os.dup2(fd, i)
    os.execvp('sleep', ['sleep', '${n}'])
daemon()`

const PATTERNS: Pattern[] = [
  { name: 'background job', language: 'shell', code: (n) => `sleep ${n} &\necho ready; sleep 600` },
  { name: 'setsid', language: 'shell', code: (n) => `setsid sleep ${n} &\necho ready; sleep 600` },
  { name: 'setsid --fork', language: 'shell', code: (n) => `setsid -f sleep ${n} >/dev/null 2>&1\necho ready; sleep 600` },
  { name: 'double fork', language: 'shell', code: (n) => `( (sleep ${n} >/dev/null 2>&1 &) & )\necho ready; sleep 600` },
  { name: 'nohup, disowned', language: 'shell', code: (n) => `nohup sleep ${n} >/dev/null 2>&1 &\ndisown\necho ready; sleep 600` },
  { name: 'new session and group via perl', language: 'shell', code: (n) => `perl -e 'setpgrp(0,0); exec "sleep", "${n}"' &\necho ready; sleep 600` },
  { name: 'cleared environment (while its parent lives)', language: 'shell', code: (n) => `env -i setsid sleep ${n} &\necho ready; wait` },
  { name: 'start_new_session', language: 'python', code: (n) => py(`subprocess.Popen(['sleep', '${n}'], start_new_session=True)`) },
  { name: 'setpgid', language: 'python', code: (n) => py(`subprocess.Popen(['sleep', '${n}'], preexec_fn=lambda: os.setpgid(0, 0))`) },
  { name: 'daemon (double fork, setsid, closed fds)', language: 'python', code: (n) => py(daemonize(n)) },
  { name: 'fork holding stdout', language: 'python', code: (n) => py(`if os.fork() == 0:\n    os.setsid()\n    os.execvp('sleep', ['sleep', '${n}'])`) },
  { name: 'os.system in a new session', language: 'python', code: (n) => py(`os.system('setsid sleep ${n} &')`) },
]

type Mode = 'cancel' | 'timeout' | 'Linkis kill'
const RUN_TYPE = { shell: 'sh', python: 'py' } as const

/** Starts the pattern, waits for its escapee, stops the job the mode's way; resolves with the job's end state and its sleep number. */
async function stop(p: Pattern, mode: Mode): Promise<{ n: number; status: string }> {
  // twelve scripts start at once: 5 s on a quiet 2-core machine, over 12 s at load 16 (a run whose timeout came first runs again, longer)
  if (mode === 'timeout') return timedOutAfterEscape(t.call, p, { nextN: () => next++, firstSeconds: 10, maxSeconds: 40 })
  const n = next++
  if (mode === 'Linkis kill') {
    const sub = await linkis.submit(p.code(n), RUN_TYPE[p.language])
    expect(sub.body.status, JSON.stringify(sub.body)).toBe(0)
    await expect.poll(() => sleepers(n).length, { timeout: 40_000 }).toBeGreaterThan(0)
    expect((await linkis.call('GET', `/entrance/${sub.body.data.execID}/kill`)).body.status).toBe(0)
    return { n, status: await linkis.waitDone(sub.body.data.execID, 30_000) }
  }
  const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: p.language, code: p.code(n) })
  await expect.poll(() => sleepers(n).length, { timeout: 40_000 }).toBeGreaterThan(0)
  if (mode === 'cancel') await t.call('POST', `/api/v1/jobs/${body.id}/cancel`)
  return { n, status: (await waitForStatus(t, body.id, ['cancelled', 'timed_out', 'failed', 'succeeded'], 45_000)).status }
}

const EXPECTED: Record<Mode, string> = { cancel: 'cancelled', timeout: 'timed_out', 'Linkis kill': 'Cancelled' }

describe('no process outlives its job', () => {
  for (const mode of ['cancel', 'timeout', 'Linkis kill'] as Mode[]) {
    it(`${mode}: all ${PATTERNS.length} escape patterns leave nothing behind`, async () => {
      const outcomes = await Promise.all(PATTERNS.map(async (p) => ({ p, ...(await stop(p, mode)) })))
      for (const o of outcomes) expect(o.status, o.p.name).toBe(EXPECTED[mode])
      await new Promise((r) => setTimeout(r, 300)) // a process killed last needs a moment to be reaped
      const left = outcomes.filter((o) => sleepers(o.n).length > 0).map((o) => o.p.name)
      expect(left).toEqual([])
    }, 150_000)
  }

  it('a script that exits while a background child holds its stdout is settled when it exits', async () => {
    for (const [language, code] of [
      ['shell', (n: number) => `sleep ${n} &\necho done`],
      ['python', (n: number) => `import os\nif os.fork() == 0:\n    os.setsid()\n    os.execvp('sleep', ['sleep', '${n}'])\nprint('done')`],
    ] as const) {
      const n = next++
      const started = Date.now()
      const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language, code: code(n) })
      const job = await waitForStatus(t, body.id, ['succeeded', 'failed'], 15_000) // the child would hold the pipe for days
      expect(job.status, language).toBe('succeeded')
      expect(Date.now() - started, language).toBeLessThan(15_000)
      expect((await t.call('GET', `/api/v1/jobs/${body.id}/results/0`)).body.rows).toEqual([['done']])
      await expect.poll(() => sleepers(n), { timeout: 2000 }).toEqual([])
    }
  })
})
