// #9 §2 (recov): a restart takes up an execution that waits in a foreach of 100,000 items (100,001
// waiting tasks, the fan-out's state at a kill -9) while the server answers. Before, recovery read and
// re-activated every task in one turn before the server listened (engine18 moved it there, off the
// listening server): the server neither listened nor answered for those seconds (attack-recovery-hold
// measured recover() 4.6-6.5 s in one turn). Now the server listens first and recovery runs in slices
// (Engine.recover), `GET /api/v1/health` saying `recovering: true` until it is over. The test builds the
// state through the app itself, kills it, starts it again on the same data, and probes health from the
// moment the new process announces its URL (instance.json) until recovery is over: the probe must have
// seen recovery under way, and every answer came in time; the execution still waits, whole.
// Measured 2026-12-04: before (bc140cc4, load ~11), the URL came 24,496 ms after the spawn, recovery already
// over, and the test failed (no probe saw it under way); after (load ~12), the URL at 2,694 ms, recovery over
// at 10,114 ms, 73 probes meanwhile, the slowest 126 ms (at load 19: 107 probes, 492 ms, the stall lines
// showing waits for a CPU).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { NOTE_FILE, type InstanceNote } from '../../electron/instance-lock'
import { expectResponsive, probeWhile, servedProcessSuite, startServedProcess, type SeenStall, type ServedProcess } from '../support/served-process'
import { foreachWorkflow, HOLD_TASK } from '../support/workflows'

const ITEMS = 100_000
const app = servedProcessSuite()
let restarted: ServedProcess | undefined
afterAll(() => restarted?.kill()) // before the suite's own afterAll removes the data dir

const call = async (path: string, init: { method?: string; body?: string; type?: string } = {}, url = app.url) => {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${app.token}`, ...(init.body !== undefined ? { 'content-type': init.type ?? 'application/json' } : {}) },
    body: init.body,
  })
  return { status: res.status, body: (await res.json()) as any }
}

it('a restart on a waiting foreach of 100,000 items answers health while it takes the execution up', { timeout: 600_000 }, async () => {
  const added = await call('/flow/bg/manage/descriptor/add_descriptor.json?business_id=rec&feature_name=fan&alias=release', { method: 'POST', body: foreachWorkflow('rec:fan', HOLD_TASK), type: 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const submitted = await call('/flow/submit.json?descriptor_id=rec:fan', { method: 'POST', body: JSON.stringify({ items: Array.from({ length: ITEMS }, (_, i) => i) }) })
  expect(submitted.status, JSON.stringify(submitted.body)).toBe(200)
  const jobId = (await call('/api/v1/jobs?limit=1')).body.items[0].id as number
  const running = async (url?: string) => ((await call(`/api/v1/jobs/${jobId}`, {}, url)).body.taskCounts?.running ?? 0) as number
  const end = Date.now() + 300_000
  while ((await running()) < ITEMS + 1 && Date.now() < end) await new Promise((ok) => setTimeout(ok, 1000))
  expect(await running()).toBe(ITEMS + 1) // the foreach and its 100,000 suspense tasks wait
  const oldPid = app.child.pid
  await app.kill('SIGKILL') // running when the app stopped

  // the new process, and its URL as soon as it announces it (it prints it once started: after recovery)
  const began = performance.now()
  const stalls: SeenStall[] = [] // its stall lines from its start on (stall-watch.ts): what expectResponsive weighs a slow probe by
  const starting = startServedProcess(app.dir, {}, stalls).then((p) => (restarted = p))
  let url = ''
  while (!url) {
    try {
      const note = JSON.parse(readFileSync(join(app.dir, NOTE_FILE), 'utf8')) as InstanceNote
      if (note.pid !== oldPid && note.url) url = note.url
    } catch {
      // not written yet, or being replaced
    }
    if (!url) await new Promise((ok) => setTimeout(ok, 5))
  }
  const announcedMs = performance.now() - began
  let sawRecovering = false
  let recoveredMs = -1
  const { probe } = await probeWhile({ url, token: app.token, stalls }, async () => {
    for (;;) {
      const health = (await call('/api/v1/health', {}, url)).body as { recovering?: boolean }
      if (health.recovering === true) sawRecovering = true
      else break // over (or a server that does not say: it listened only once recovery was over)
      await new Promise((ok) => setTimeout(ok, 20))
    }
    recoveredMs = performance.now() - began
    await starting
  })
  console.log(
    `restart on ${ITEMS + 1} waiting tasks: URL announced after ${announcedMs.toFixed(0)} ms, recovery over after ${recoveredMs.toFixed(0)} ms, ` +
      `started after ${(performance.now() - began).toFixed(0)} ms; probe max ${probe.maxMs.toFixed(0)} ms, p99 ${probe.p99Ms.toFixed(0)} ms over ${probe.count} probes; saw recovery under way: ${sawRecovering}`,
  )
  expect(sawRecovering, 'the server answered only once recovery was over').toBe(true)
  expectResponsive(probe)
  expect(await running(url)).toBe(ITEMS + 1) // nothing lost: the execution still waits whole
})
