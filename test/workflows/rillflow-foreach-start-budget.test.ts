// A foreach's start reads its input mappings and its collection in one synchronous step (#9 §2). Each
// had a PathWork of its own (500,000 units each), so one start could hold the thread for two budgets'
// worth; they now share one, named in the task's failure when it runs out. Each half alone fits.
import { beforeAll, describe, expect, it } from 'vitest'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let rill: RillSuite['rill']
beforeAll(() => ({ rill } = suite))

// a filter costs some 44 units an item: over 7,000 items ~308,000 units, under one budget, not two
const items = Array.from({ length: 7000 }, (_, i) => ({ a: i === 6999 ? 3 : 1 }))
// the input mapping to n reads the whole list (and finds nothing); the collection too (and finds one item)
const foreach = (dag: string, collection: string) =>
  `workspace: budget\ndagName: ${dag}\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.l, source: $.context.l}, {target: $.input.n, source: "$.context.l[?(@.a == 2)]", tolerance: false}]\n    iterationMapping: {collection: "${collection}", item: it}\n    tasks:\n      - {category: pass, name: p}\n`

async function run(dag: string, collection: string) {
  const added = await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', foreach(dag, collection), 'text/plain')
  expect(added.status).toBe(200)
  const ret = await rill.finished(await rill.submit(`budget:${dag}`, { l: items }), 60_000)
  return { status: ret.dag_status, fe: JSON.stringify(Object.values(ret.tasks).find((x: any) => x.name === 'fe')) }
}

describe('one foreach start, one path budget', () => {
  it('input mappings and a collection that each fit alone are refused together, naming the shared budget', async () => {
    const { status, fe } = await run('both', '$.input.l[?(@.a == 3)]')
    expect(status).toBe('FAILED')
    expect(fe).toContain('the paths of one foreach start together')
  }, 90_000)

  it('the same input mappings with a plain collection run', async () => {
    const { status } = await run('plain', '$.input.l[-1:]')
    expect(status).toBe('SUCCEED')
  }, 90_000)
})
