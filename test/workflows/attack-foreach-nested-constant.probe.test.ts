// atk39 (#9 §2): fe8 stores a foreach's shared read-only constant once per execution (migration 029),
// but only one found at a sub-context's top level (group.repository.ts sharedValues). Mapped one
// level down (`$.context.nest.big`), a 0.95 MB constant is serialized with every group's row again:
// in-process (load 7.8) a fan-out of 100 items took 14 s, stored 95 MB, and the event loop was held
// ~480 ms at a time (p99 477 ms, max 503 ms), where the same constant at `$.context.big` took 1.3 s and
// stored 2 kB. Served (this test, load 9.0): 60 items ran 20 s under 35 probes, the slowest 1,272 ms;
// the server logged 26 stalls of 209-1,259 ms held (its own share, less the CPU wait, 87-138 ms each),
// every one an engine tick; the same descriptor with `$.context.big` ran 1.5 s, 7 probes, the slowest
// 154 ms, no stall. The measure is the issue's: the process lives and every probe answers in under 200 ms.
import { expect, it } from 'vitest'
import { rillAttackSuite } from './support/rill-attack'
import { foreachDescriptor, passTask, wideMap } from './support/foreach-descriptor'

const { rill, add, underProbe } = rillAttackSuite()

it('a foreach of 60 items mapping a 0.95 MB constant one level down in each sub-context keeps the probe under 200 ms', async () => {
  const yaml = foreachDescriptor('attack', 'nestedconstant', { tasks: passTask(`'${wideMap(950_000)}'`, '$.context.nest.big') })
  expect((await add(yaml)).status).toBe(200)
  const items = Array.from({ length: 60 }, (_, i) => i)
  const ret = await underProbe(async () => rill().finished(await rill().submit('attack:nestedconstant', { items }), 240_000))
  expect(['SUCCEED', 'FAILED']).toContain(ret.dag_status)
}, 300_000)
