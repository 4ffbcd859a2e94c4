// Finding a test's own processes by command line, independently of how JobDesk finds them.
import { readdirSync, readFileSync } from 'node:fs'

/** Live `sleep <n>` processes (zombies, which only wait to be reaped, do not count). Linux only. */
export function sleepers(n: number): number[] {
  const found: number[] = []
  for (const e of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8')
      if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0])) continue
      if (readFileSync(`/proc/${e}/cmdline`, 'latin1') === `sleep\0${n}\0`) found.push(Number(e))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

/** A sleep length no other test run on this machine is likely to use, so its processes can be told apart. */
export const uniqueSleep = (): number => 200_000 + Math.floor(Math.random() * 7_000_000)

/** The terminal statuses a script job stopped by its timeout (or otherwise) can end in. */
const JOB_ENDED = ['cancelled', 'timed_out', 'failed', 'succeeded']

/**
 * Runs a script job that starts `sleep <n>` (an escapee) and lets the job's own timeout stop it,
 * proving only a run in which that sleep existed before the timeout fired: a timeout that came
 * first would prove nothing about escapees. Submits with a `timeoutSeconds` of `firstSeconds`; when
 * the job ends before its sleep was seen (a loaded machine started the script too slowly), runs it
 * again with a fresh `n` and twice the time, up to `maxSeconds`. `nextN` hands out the sleep
 * numbers. Resolves with the last run's `n` (or that of an earlier run whose sleep was found living
 * after all) and the job's final status; the escapee may still live: the caller checks. Throws when
 * even `maxSeconds` ended the job before its sleep was seen.
 *
 * A short first timeout, not one long enough for the slowest machine: the 30 s every run used to
 * wait was most of process-escape.test.ts's 40 s.
 */
export async function timedOutAfterEscape(
  call: (method: string, path: string, body?: unknown) => Promise<{ body: any }>,
  job: { language: 'shell' | 'python'; code: (n: number) => string },
  o: { nextN: () => number; firstSeconds: number; maxSeconds: number },
): Promise<{ n: number; status: string }> {
  const abandoned: number[] = [] // the sleeps of runs whose timeout came first
  for (let seconds = o.firstSeconds; ; seconds *= 2) {
    const n = o.nextN()
    const { body } = await call('POST', '/api/v1/jobs', { type: 'script', language: job.language, code: job.code(n), timeoutSeconds: seconds })
    let seen = false
    let status = ''
    const deadline = Date.now() + (seconds + 30) * 1000 // the timeout, and room for the stop itself
    for (;;) {
      if (!seen && sleepers(n).length > 0) seen = true
      status = (await call('GET', `/api/v1/jobs/${body.id}`)).body.status
      if (JOB_ENDED.includes(status)) break
      if (Date.now() > deadline) throw new Error(`job ${body.id} (timeout ${seconds} s) was still ${status} after ${seconds + 30} s`)
      await new Promise((r) => setTimeout(r, 50))
    }
    if (!seen && sleepers(n).length > 0) seen = true // started between the last look and the end, and still there: the caller sees it left
    if (seen) {
      // a run abandoned as too early whose sleep started after all (its job ended, the sleep lives): the caller sees that one left
      const late = abandoned.find((m) => sleepers(m).length > 0)
      return { n: late ?? n, status }
    }
    abandoned.push(n)
    if (seconds * 2 > o.maxSeconds) throw new Error(`job ${body.id} ended (${status}) before its sleep ${n} started, even with a timeout of ${seconds} s`)
  }
}
