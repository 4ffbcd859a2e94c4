// Attack (atk30) on the JSON container cap (cc89b33/00a9748: shared/json-limits.ts checkJsonShape, "every
// dialect's JSON body with more than 320,000 lists and maps refused before parse"). A Rill Flow
// descriptor's defaultContext values are text that every submit parses as JSON (mappings.ts parseSource,
// called from service.ts start for each defaultContext key), with no checkJsonShape: neither depth
// (MAX_JSON_DEPTH 100) nor count. A descriptor is YAML of at most 1 MB, 2 MB of scalar text once aliases
// are expanded (descriptor/limits.ts), so one key may hold `[[[…]]]` 300,000 levels deep, or two keys (one
// an alias of the other) about a million lists. add_descriptor takes both (200); then:
//  - the deep one: every submit answers 500 "internal server error" (30101) after holding the event loop
//    ~1.45 s (load 4): the nesting the body check refuses with a 400 naming the field is parsed here and
//    overflows a recursive walker later;
//  - the wide one: every submit holds the event loop 0.85-1.7 s (load 6), the cost the 320,000 cap exists to
//    bound (json-limits.ts: 4 MB of `[],` held it 1.7-2.8 s), by any loopback process without a credential.
// Expected (#9 §2): bad input gets a 4xx naming the field (defaultContext.<key>), best at add_descriptor,
// where the line is known; no submit holds the event loop a second. A fix: run checkJsonShape (as
// parseClientJson does) on defaultContext values and constant mapping sources when the descriptor is read
// (descriptor/parts.ts readDefaultContext, readJsonText), refusing with bad_descriptor naming the key and line.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

/** The result of `fn` and the longest the event loop was held meanwhile (ms). */
async function heldDuring<T>(fn: () => Promise<T>): Promise<{ value: T; held: number }> {
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const value = await fn()
  delay.disable()
  return { value, held: delay.max / 1e6 }
}

const descriptor = (dagName: string, defaults: string) => `workspace: atk30\ndagName: ${dagName}\ntype: flow\ndefaultContext:\n${defaults}tasks:\n  - {category: pass, name: P}\n`

it('a defaultContext value nested 300,000 levels deep is refused with a 4xx naming it, never a 500 after a 1 s hold', async () => {
  const deep = '['.repeat(300_000) + ']'.repeat(300_000)
  const add = await s.rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', descriptor('deep', `  a: '${deep}'\n`), 'text/plain')
  if (add.status !== 200) {
    expect(add.status).toBe(400)
    expect(JSON.stringify(add.body)).toContain('defaultContext')
    return
  }
  const { value: res, held } = await heldDuring(() => s.rill.call('POST', '/flow/submit.json?descriptor_id=atk30:deep', {}))
  // fails (load 4): 500 {"error_code":30101,"error":"internal server error"}, the event loop held 1,453 ms
  expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(400)
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(500)
  expect(JSON.stringify(res.body)).toContain('defaultContext')
  expect(held).toBeLessThan(1000)
}, 120_000)

it('a defaultContext of a million lists (two keys, one an alias) never holds the event loop a second per submit', async () => {
  const nest = '['.repeat(90) + ']'.repeat(90) // within MAX_JSON_DEPTH, 2 characters a list
  const wide = `[${Array.from({ length: 5_500 }, () => nest).join(',')}]` // 495,000 lists in 1 MB
  const add = await s.rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', descriptor('wide', `  a: &x '${wide}'\n  b: *x\n`), 'text/plain')
  if (add.status !== 200) {
    expect(add.status).toBe(400)
    expect(JSON.stringify(add.body)).toContain('defaultContext')
    return
  }
  let worst = 0
  for (let i = 0; i < 3; i++) {
    const { value: res, held } = await heldDuring(() => s.rill.call('POST', '/flow/submit.json?descriptor_id=atk30:wide', {}))
    if (res.status === 200) await s.rill.finished(res.body.execution_id, 60_000)
    worst = Math.max(worst, held)
  }
  // fails (load 6): the submits held the event loop 1,082-1,697 ms; 3,462 ms at load 6 in the test run (990,000 lists parsed each time)
  expect(worst, `event loop held up to ${worst.toFixed(0)} ms`).toBeLessThan(1000)
}, 180_000)
