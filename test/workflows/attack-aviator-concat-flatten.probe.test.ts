// Attack (#9 §2, atk16): string concatenation in an Aviator transform is charged nothing for the
// text it makes. `s + s` doubles a string in one step (V8 makes a rope, O(1)); `(s + 'b') < 'a'`
// then makes a new 2 MB rope and the comparison flattens it (copies 2 MB), charged the statement's
// few steps only (values.ts arithmetic: checkedString caps the length at 4 MB, chargeText is never
// called; compare charges min(length) = 1 character). In-process (tsx, load 3.9-4.4): 100 such
// comparisons 1.17 s (1 MB strings: 0.64 s), `string.startsWith(s + 'b', 'a')` likewise 1.26 s;
// `while (true) { (s + 'b') < 'a'; }` ran past a 300 s timeout (the 100,000-step budget allows some
// 25,000 rounds, about 5 minutes of the main thread). The script is 120 characters: a 0.2 kB
// mapping_evaluation.json body (answered on the main thread) or a stored descriptor's transform.
// Here 150 rounds: over real HTTP the probe waited 1,664 ms (mapping_evaluation.json) and 1,452 ms
// (a pass task's output mapping), load 2.9-3.5. The measure is the issue's:
// the process lives and every probe answers in under 200 ms. Fixed by fixaviator (text made by + charged by length).
import { describe, expect, it } from 'vitest'
import { rillAttackSuite } from './support/rill-attack'

const { rill, head, add, underProbe } = rillAttackSuite()

const transform = "let s = 'a'; for i in range(0, 21) { s = s + s; } for i in range(0, 150) { (s + 'b') < 'a'; } return 1;"

describe('attack: Aviator concatenation that the step budget does not charge', () => {
  it('mapping_evaluation.json: 150 comparisons of a fresh 2 MB concatenation', async () => {
    const r = await underProbe(() =>
      rill().call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.x', target: '$.input.r', transform, tolerance: false }], context: { x: 1 } }),
    )
    expect(r.status).toBeLessThan(500)
  }, 120_000)

  it("a stored descriptor's transform doing the same", async () => {
    const yaml = `${head('concat')}tasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: $.context.r, source: $.context.x, transform: "${transform}", tolerance: false}\n`
    expect((await add(yaml)).status).toBe(200)
    const ret = await underProbe(async () => rill().finished(await rill().submit('attack:concat', { x: 1 }), 60_000))
    expect(['SUCCEED', 'FAILED']).toContain(ret.dag_status)
  }, 120_000)
})
