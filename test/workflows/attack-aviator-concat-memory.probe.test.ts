// Attack (#9 §1, atk16): an Aviator transform keeps what its uncharged concatenations make, until
// the process runs out of heap and V8 ends it. `let t = s + s` (s of 2 MB) is a rope of two
// references; comparing it (`t < 'a'`) flattens it into a new 4 MB string, and `seq.add(l, t)` keeps
// it. Each round costs some 6 steps of the 100,000 and 4 MB of heap: nothing counts the text made
// (values.ts arithmetic checks the 4 MB cap of one string only; seq.add/seq.list charge nothing;
// PassBudget counts copies of what a transform returns, and this one returns a number).
// In-process (tsx, --max-old-space-size=512): 100 rounds kept 495 MB (2.0 s); 200 rounds ended the
// process with "FATAL ERROR: Reached heap limit" in String::SlowFlatten. The served process has
// node's default heap (4.1 GB here), so ~1,100 rounds (~6,600 steps) end it: over real HTTP the
// process died with that FATAL ERROR 15-23 s after the request (load 3.2-3.7), the client saw the
// socket close. A 0.2 kB mapping_evaluation.json body (answered on the main thread).
// The measure is the issue's: no input ends the process; a bad one gets a 4xx. Fixed by fixaviator (32 MB of values made per run).
import { expect, it } from 'vitest'
import { rillAttackSuite } from './support/rill-attack'

const { app, rill, alive } = rillAttackSuite()

const transform = "let s = 'a'; for i in range(0, 21) { s = s + s; } let l = seq.list(); for i in range(0, 2000) { let t = s + s; t < 'a'; seq.add(l, t); } return count(l);"

it('a transform that keeps 2,000 flattened 4 MB concatenations (8 GB) is refused, and the process lives', async () => {
  const started = performance.now()
  const r = await rill()
    .call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.x', target: '$.input.r', transform, tolerance: false }], context: { x: 1 } })
    .catch((e: unknown) => ({ status: -1, body: String(e) }))
  await Promise.race([app.exited, new Promise((ok) => setTimeout(ok, 2000))]) // a dead process's exit event comes after its socket closes
  console.log(`answer ${r.status} after ${Math.round(performance.now() - started)} ms; alive ${alive()}`)
  expect(alive()).toBe(true)
  expect(r.status).toBe(400)
}, 300_000)
