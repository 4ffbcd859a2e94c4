// Attack (#9 §2, atk10): a foreach over 200,000 items, twice the size of rillflow-foreach-100k
// (which then had a relaxed bound). Over real HTTP against `node out/main/serve.js`, the health
// probe every 50 ms: at load average 9.5 (idle probe there: max 96-164 ms, none over 200) the submit held
// it 782 ms, each brief get.json of the running execution 250-490 ms, and 4 more probes in the 52 s run
// took 236-422 ms; at load 8-11 with get.json every second, 75 of 377 probes took over 200 ms, max
// 1,027 ms, p99 751 ms. 100k items took 18 s, 200k 52-86 s (more than twice). This test holds the run
// to the measure (every probe under 200 ms); it has passed since the engine's tick budget.
import { expect, it } from 'vitest'
import { expectResponsive, probeWhile, servedProcessSuite } from '../support/served-process'
import { rillClient } from './support/rill-client'

const ITEMS = 200_000
const app = servedProcessSuite()

// In 2 of 4 clean-clone runs on 2 cores one probe of ~250 once waited 413 ms (load 4-6) and 1,690 ms
// (load 2) while p99 stayed at 24 ms: SQLite's automatic checkpoint fsynced inside a commit behind the
// suite's large files (import-large writes 300 MB), up to 318 ms (bench: commits). Checkpoints now run
// in a worker (store/checkpointer.ts); since then max 79-83 ms (p99 56-62 ms). No retry: a probe slowed
// by the machine alone is told apart by the server's own stall lines (expectResponsive).
it('a 200k-item foreach runs to the end while every probe answers within 200 ms', { timeout: 600_000 }, async () => {
  const rill = rillClient(app.url)
  await rill.addDescriptor(
    'workspace: wide\ndagName: f200k\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n      - {category: pass, name: p, inputMappings: [{target: $.input.x, source: $.it}]}\n',
  )
  const { result, probe } = await probeWhile(app, async () => {
    const id = await rill.submit('wide:f200k', { items: Array.from({ length: ITEMS }, (_, i) => i) })
    for (;;) {
      await new Promise((r) => setTimeout(r, 2000))
      const ret = await rill.get(id, true) // brief, as a client polling a long run
      if (ret.dag_status === 'SUCCEED' || ret.dag_status === 'FAILED') return ret.dag_status
    }
  })
  console.log(`200k foreach: probes ${probe.count}, p99 ${probe.p99Ms.toFixed(0)} ms, max ${probe.maxMs.toFixed(0)} ms`)
  expect(result).toBe('SUCCEED')
  expect(app.child.exitCode).toBe(null)
  expectResponsive(probe)
})
