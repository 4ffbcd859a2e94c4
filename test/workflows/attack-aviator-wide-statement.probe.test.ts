// Attack (#9 §2, atk16): an Aviator statement costs one step whatever its size. The interpreter
// charges a step per statement and per loop round (and calls by their arguments), but evaluates
// every node of the statement's expression for free: `while (true) { 1+1+…+1; }` with 500 terms
// (a 1 kB script) walks 500 nodes for each 2 steps, so the 100,000-step budget allows 25 million
// node evaluations. In-process (tsx, load 6.1): 1.87 s before "Step budget of 100000 exceeded";
// `while (1 < 2 && 2 < 3 && … 7 terms) { }` 56 ms vs 9 ms for `n = n + 1`. Nothing bounds the
// terms but the script's length (a 64 kB body holds 30,000). Here 1,000 terms (2 kB) as a
// mapping_evaluation.json transform (answered on the main thread) and as a stored descriptor's
// transform: over real HTTP the probe waited 1,945 ms and 2,067 ms (load 6.3-6.5). The measure is the issue's: the process
// lives and every probe answers in under 200 ms. Fixed by fixaviator (a step per expression node evaluated).
import { describe, expect, it } from 'vitest'
import { rillAttackSuite } from './support/rill-attack'

const { rill, head, add, underProbe } = rillAttackSuite()

const transform = `while (true) { ${Array(1000).fill('1').join('+')}; }`

describe('attack: an Aviator statement of 1,000 operators charged one step', () => {
  it('mapping_evaluation.json', async () => {
    const r = await underProbe(() =>
      rill().call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.x', target: '$.input.r', transform, tolerance: false }], context: { x: 1 } }),
    )
    expect(r.status).toBe(400) // the step budget ends it, in the dialect's envelope
  }, 120_000)

  it("a stored descriptor's transform", async () => {
    const yaml = `${head('wide')}tasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: $.context.r, source: $.context.x, transform: "${transform}", tolerance: false}\n`
    expect((await add(yaml)).status).toBe(200)
    const ret = await underProbe(async () => rill().finished(await rill().submit('attack:wide', { x: 1 }), 60_000))
    expect(ret.dag_status).toBe('FAILED')
  }, 120_000)
})
