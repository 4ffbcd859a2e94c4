// Attack (#9 §5, re-verification by atk14): a job's processes are found by the marker in their
// environment, their descendants, and the group of the first process. A process that clears its
// environment and whose parent ends at once (so it is re-parented to init before JobDesk looks)
// carries none of these, and outlives cancel and timeout. Over real HTTP against `npm run serve`:
// `env -i /bin/sh -c "setsid sleep N &"` and a Python daemon that clears os.environ before exec
// were both still running 5 s after their job was cancelled (8 other patterns were stopped).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { sleepers, uniqueSleep } from '../support/processes'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ concurrency: 16 })
})
afterAll(() => t.close())

let next = uniqueSleep()
const PATTERNS: { name: string; language: 'shell' | 'python'; code: (n: number) => string }[] = [
  { name: 'cleared environment, parent ends at once', language: 'shell', code: (n) => `env -i /bin/sh -c "setsid sleep ${n} >/dev/null 2>&1 &"\necho ready; sleep 600` },
  {
    name: 'daemon that clears os.environ before exec',
    language: 'python',
    code: (n) => `import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.environ.clear()
        fd = os.open(os.devnull, os.O_RDWR)
        for i in (0, 1, 2): os.dup2(fd, i)
        os.execve('/bin/sleep', ['sleep', '${n}'], {})
    os._exit(0)
print('ready', flush=True)
time.sleep(600)`,
  },
]

describe('attack: processes that clear their environment and leave the tree', () => {
  for (const mode of ['cancel', 'timeout'] as const) {
    it(`${mode}: none of ${PATTERNS.length} patterns leaves a process behind`, async () => {
      const outcomes = await Promise.all(
        PATTERNS.map(async (p) => {
          const n = next++
          const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: p.language, code: p.code(n), timeoutSeconds: mode === 'timeout' ? 12 : undefined })
          await expect.poll(() => sleepers(n).length, { timeout: 15_000 }).toBeGreaterThan(0)
          if (mode === 'cancel') await t.call('POST', `/api/v1/jobs/${body.id}/cancel`)
          const job = await waitForStatus(t, body.id, ['cancelled', 'timed_out', 'failed', 'succeeded'], 20_000)
          return { name: p.name, n, status: job.status }
        }),
      )
      await new Promise((r) => setTimeout(r, 1000)) // a process killed last needs a moment to be reaped
      const left = outcomes.filter((o) => sleepers(o.n).length > 0)
      for (const o of left) for (const pid of sleepers(o.n)) process.kill(pid, 'SIGKILL') // not left on the machine by this test
      expect(left.map((o) => o.name)).toEqual([])
    }, 60_000)
  }
})
