// What a big Rill Flow callback stores (#9 §2): its body's long members are serialized by the JSON worker
// that parsed them and their texts reused by the saves inside the write lock (store/state-json.ts
// jsonFromReadOnlyParts, adoptOfferedTexts), so the stored context and the task's stored output must be,
// byte for byte, what serializing the values whole stores (JSON.stringify's text), for bodies of
// unicode, escapes, nested values and numbers JSON.stringify writes its own way (1e21, -0, floats,
// exponents), through finish.json, trigger.json and wakeup.json; and the context's weight (migration 048)
// must be its text's.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { startSampleExecutor, type SampleExecutor } from '../workflows/support/sample-executor'
import { addCallbackFlows, jobOfExecution, waitingForCallback } from '../workflows/support/callback-flows'
import { heldWeightPastChars } from '../../electron/store/state-json'
import { jsonShapeOf } from '../../shared/json-limits'

const MAPPINGS = `{source: $.output.items, target: $.context.c0}, {source: $.output.items, target: $.context.c1}, {source: $.output.meta, target: $.context.meta}`

let t: TestApp
let exec: SampleExecutor
beforeAll(async () => {
  exec = await startSampleExecutor()
  t = await startTestApp()
  await addCallbackFlows(t, exec.url, 'texts', MAPPINGS)
}, 60_000)
afterAll(async () => {
  await t?.close()
  await exec?.close()
})

const jobOf = (id: string): number => jobOfExecution(t, id)
const waiting = (flow: string): Promise<string> => waitingForCallback(t, flow)

/** A body over the worker's 64 kB, written by hand: numbers as JSON.stringify would not write them, escapes, unicode. */
function bodyText(go: boolean): string {
  const item = (i: number) => `{"n": ${['1E21', '-0', '0.10', '1.5e-7', '2e+3', '-0.0', '123456789012345678901234567890', '5e-324'][i % 8]}, "s": "\\u00e9\\u2028\\"\\\\ é 😀 \\ud83d\\ude00 /\\/", "deep": [[{"x": [${i}]}]], "e": {}, "l": []}`
  return `{ "go": ${go}, "meta": {"k\\u00e9y": "v", "1": 1, "0": -0}, "items": [ ${Array.from({ length: 1_200 }, (_, i) => item(i)).join(',\n ')} ], "tail": "end" }`
}

/** The stored context's and task output's texts, and the context's stored weight. */
function stored(id: string): { context: string; output: string; weight: number } {
  const job = jobOf(id)
  const { context, weight } = t.app.store.db.prepare(`SELECT value AS context, weight FROM job_values WHERE job_id = ? AND name = 'context'`).get(job) as { context: string; weight: number }
  const { output } = t.app.store.db.prepare(`SELECT output FROM tasks WHERE job_id = ? AND name = 'f'`).get(job) as { output: string }
  return { context, output, weight }
}

for (const route of ['finish', 'trigger', 'wakeup'] as const) {
  it(`${route}.json of a long body: the stored context and output are JSON.stringify's texts of the values, byte for byte`, async () => {
    const id = await waiting(route === 'wakeup' ? 'texts:wake' : 'texts:fin')
    const text = bodyText(true)
    expect(text.length).toBeGreaterThan(64 * 1024) // parsed by the JSON worker
    const r = await t.call('POST', `/flow/${route}.json?execution_id=${encodeURIComponent(id)}&task_name=f`, text)
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const { context, output, weight } = stored(id)
    const body = JSON.parse(text)
    expect(output).toBe(JSON.stringify(body))
    const value = JSON.parse(context)
    for (const [k, v] of [['c0', body.items], ['c1', body.items], ['meta', body.meta]]) expect(JSON.stringify(value[k])).toBe(JSON.stringify(v))
    expect(context).toBe(JSON.stringify(value))
    expect(context).toContain(`"n":1e+21`)
    expect(weight).toBe(heldWeightPastChars({ text: context, shape: jsonShapeOf(context) }))
  }, 60_000)
}
