// Ordering of a client's callback (finish.json, wakeup.json) against another callback and a cancel of
// its execution (#9 §2): a big callback is applied in one step of the engine (Engine.actSaved), so a
// second callback for the same task sees the first's result (refused: the task no longer waits), and a
// cancel sent at the same time either comes first (the callback refused, nothing of it mapped) or after
// (the callback's values all in the context, the task succeeded, then the execution cancelled), never
// half-applied: the context holds all eight mappings' values or none of them.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { untilExecutionsWait } from '../support/workflows'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { addCallbackFlows, jobOfExecution, waitingForCallback } from '../workflows/support/callback-flows'

/** Maps in the callback body's `items`, each list mapped to 8 context keys. */
const ITEMS = 20_000
const EIGHT = Array.from({ length: 8 }, (_, i) => `{source: $.output.items, target: $.context.c${i}}`).join(', ')

let t: TestApp
let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
  t = await startTestApp()
  await addCallbackFlows(t, exec.url, 'race', EIGHT)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await exec?.close()
})

const jobOf = (id: string): number => jobOfExecution(t, id)
const waiting = (flow: string): Promise<string> => waitingForCallback(t, flow)

const body = (go: boolean) => JSON.stringify({ go, items: Array.from({ length: ITEMS }, () => ({})) })
const callback = (route: string, id: string, go = true) => t.call('POST', `/flow/${route}.json?execution_id=${encodeURIComponent(id)}&task_name=f`, body(go))

/** How many of c0..c7 the stored context holds in full (ITEMS maps each), and whether any holds a part. */
function mapped(id: string): { whole: number; partial: number } {
  const context = (t.app.store.jobs.get(jobOf(id))!.context ?? {}) as Record<string, unknown[] | undefined>
  let whole = 0
  let partial = 0
  for (let i = 0; i < 8; i++) {
    const c = context[`c${i}`]
    if (c?.length === ITEMS) whole++
    else if (c !== undefined) partial++
  }
  return { whole, partial }
}

for (const route of ['finish', 'wakeup'] as const) {
  const flow = route === 'finish' ? 'race:fin' : 'race:wake'

  it(`two ${route}.json of one task at once: the first applied whole, the second sees it (refused, nothing of it kept)`, { timeout: 60_000 }, async () => {
    const id = await waiting(flow)
    const [a, b] = await Promise.all([callback(route, id), callback(route, id)])
    const [first, second] = a.status === 200 ? [a, b] : [b, a]
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    expect(second.status, JSON.stringify(second.body)).toBeGreaterThanOrEqual(400)
    await untilExecutionsWait(t.app, [id], {})
    expect(t.app.store.jobs.get(jobOf(id))!.status).toBe('succeeded')
    expect(mapped(id)).toEqual({ whole: 8, partial: 0 })
  })

  it(`a ${route}.json racing a cancel of its execution: all of it or none of it, never half-applied`, { timeout: 60_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const id = await waiting(flow)
      const [cb, cancel] = await Promise.all([callback(route, id), t.call('POST', `/api/v1/jobs/${jobOf(id)}/cancel`)])
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(200)
      await untilExecutionsWait(t.app, [id], {})
      const job = t.app.store.jobs.get(jobOf(id))!
      expect(job.status).toBe('cancelled')
      const f = t.app.store.jobs.task(job.id, 'f')!
      if (cb.status === 200) {
        // the callback came first: all eight mappings' values kept, `f` succeeded before the cancel
        expect(f.status).toBe('succeeded')
        expect(mapped(id)).toEqual({ whole: 8, partial: 0 })
      } else {
        // the cancel came first: the callback refused as for a task that no longer waits, nothing mapped
        expect(cb.status, JSON.stringify(cb.body)).toBeGreaterThanOrEqual(400)
        expect(f.status).toBe('cancelled')
        expect(mapped(id)).toEqual({ whole: 0, partial: 0 })
      }
    }
  })
}
