// Attack (#9 §2, re-verification by atk15): two JSONPath shapes that still hold the main thread
// past the work budget (work.ts), because their cost is not spent from it. Over real HTTP against
// `node out/main/serve.js` from a non-admin user's mapping_evaluation.json:
// - a slice with a huge negative start, `$.context.l[-2000000000:1]` over a 3-item list: the
//   walker loops from -2e9 to 1 and spends a unit only for the indexes that land in the list, so
//   the loop ran 5.8 s (load 3.1) and `[-9000000000000:1]` never ended (the server stopped
//   answering until killed);
// - a filter of 2,000 nested `!(…)` over 14,000 items: 32 units an item (FILTER_RUN_COST) plus one
//   for its relation, but the safe evaluator walks the 2,000 negations for each item: 1.8 s, the
//   probe waited 1.76 s (load 4.7).
// The measure is the issue's: the process lives and a status probe answers in under 200 ms.
import { describe, expect, it } from 'vitest'
import { rillAttackSuite } from './support/rill-attack'

const { rill, underProbe } = rillAttackSuite()

const evaluate = (source: string, context: unknown) =>
  rill().call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source, target: '$.input.r', tolerance: false }], context })

describe('attack: JSONPath work the budget does not see', () => {
  it('a slice from -2,000,000,000 over a 3-item list (held 5.8 s)', async () => {
    const r = await underProbe(() => evaluate('$.context.l[-2000000000:1]', { l: [1, 2, 3] }))
    expect(r.status).toBeLessThan(500)
  }, 60_000)

  it('a filter of 2,000 nested negations over 14,000 items (held 1.8 s)', async () => {
    const filter = `${'!('.repeat(2000)}1==1${')'.repeat(2000)}`
    const items = Array.from({ length: 14_000 }, (_, i) => i)
    const r = await underProbe(() => evaluate(`$.context.l[?(${filter})]`, { l: items }))
    expect(r.status).toBeLessThan(500)
  }, 60_000)
})
