// A tolerant mapping rule that fails is skipped, as upstream's JSONPathInputOutputMapping skips it,
// and, as upstream logs it ("mapping fails, intolerance:… due to …"), the skip is told: a WARN line in
// the job's log naming the task, the rule and why; the dry run (mapping_evaluation.json) lists it.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const add = (yaml: string) => rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')

/** The text of the job's log lines at `level`, the execution once ended. */
async function logOf(executionId: string, level = 'WARN'): Promise<string[]> {
  const uuid = uuidOfExecutionId(executionId)
  const job = t.app.store.jobs.list({ limit: 1000 }).items.find((j) => j.uuid === uuid)!
  return t.app.store.logs.read(job.id, 0, 10_000).lines.filter((l) => l.level === level).map((l) => l.text)
}

describe('a skipped mapping rule is logged', () => {
  it('a transform that does not parse: the task runs without it, and a WARN line names the task, the rule and the parse error', async () => {
    const yaml = `workspace: skipws\ndagName: t1\ntype: flow\ntasks:\n  - category: pass\n    name: p\n    inputMappings:\n      - {source: $.context.x, target: $.input.x, transform: "this is not aviator (("}\n      - {source: $.context.x, target: $.input.y}\n    outputMappings:\n      - {source: $.output, target: $.context.seen}\n`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('skipws:t1', { x: 1 })
    const done = await rill.finished(id)
    expect(done.dag_status).toBe('SUCCEED') // upstream skips a tolerant rule
    expect(done.context.seen).toEqual({ y: 1 }) // its input, which the pass task hands on as its output
    const warn = await logOf(id)
    expect(warn).toHaveLength(1)
    expect(warn[0]).toMatch(/^task p: mapping \(source: \$\.context\.x, target: \$\.input\.x\) skipped: .*(line|column|position)/)
  })

  it('an endless transform: skipped at its own step budget, logged with it', async () => {
    const yaml = `workspace: skipws\ndagName: t2\ntype: flow\ntasks:\n  - category: pass\n    name: p\n    inputMappings:\n      - {source: $.context.x, target: $.input.x, transform: "while true { }"}\n`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('skipws:t2', { x: 1 })
    const done = await rill.finished(id)
    expect(done.dag_status).toBe('SUCCEED')
    const warn = await logOf(id)
    expect(warn).toHaveLength(1)
    expect(warn[0]).toMatch(/^task p: mapping \(source: \$\.context\.x, target: \$\.input\.x\) skipped: Step budget of 100000 exceeded/)
  })

  it('a foreach of 2,000 items whose rule fails in each writes a few lines, not 2,000, and says how many', async () => {
    const yaml = `workspace: skipws\ndagName: t3\ntype: flow\ntasks:
  - category: foreach
    name: f
    inputMappings: [{target: $.input.items, source: $.context.items}]
    iterationMapping: {collection: $.input.items, item: item}
    tasks:
      - category: pass
        name: p
        inputMappings:
          - {source: $.context.item, target: $.input.x, transform: "this is not aviator (("}
`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('skipws:t3', { items: Array.from({ length: 2000 }, (_, i) => i) })
    const done = await rill.finished(id, 60_000)
    expect(done.dag_status).toBe('SUCCEED')
    const warn = await logOf(id)
    expect(warn.length).toBeGreaterThan(0)
    expect(warn.length).toBeLessThanOrEqual(6)
    expect(warn[0]).toMatch(/mapping \(source: \$\.context\.item, target: \$\.input\.x\) skipped: /)
    expect(warn.at(-1)).toMatch(/skipped 1,000 times/)
  }, 90_000)
})

describe('a mapping rule whose source matches nothing is logged (#9: a foreach of 3,000 suspense tasks read `$.it`)', () => {
  it('writes nothing, as upstream (its null is not written), and a WARN line names the source and target', async () => {
    const yaml = `workspace: skipws\ndagName: t4\ntype: flow\ntasks:\n  - category: pass\n    name: p\n    inputMappings:\n      - {source: $.context.nope, target: $.input.x}\n      - {source: $.context.y, target: $.input.y}\n    outputMappings:\n      - {source: $.output, target: $.context.seen}\n`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('skipws:t4', { y: 2 })
    const done = await rill.finished(id)
    expect(done.dag_status).toBe('SUCCEED')
    expect(done.context.seen).toEqual({ y: 2 })
    expect(await logOf(id)).toEqual(['task p: mapping (source: $.context.nope, target: $.input.x) wrote nothing: source $.context.nope matched nothing, so $.input.x was not written'])
  })

  it("a foreach of 3,000 suspense tasks reading the item as `$.it`: four lines, not 3,000, and the item's path named", async () => {
    const yaml = `workspace: skipws\ndagName: t5\ntype: flow\ntasks:
  - category: foreach
    name: each
    inputMappings: [{target: $.input.items, source: $.context.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.it, target: $.input.go}]}
`
    expect((await add(yaml)).status).toBe(200)
    const id = await rill.submit('skipws:t5', { items: Array.from({ length: 3000 }, (_, i) => i) })
    const jobId = () => t.app.workflows.execution(id).job.id
    await expect.poll(async () => (await logOf(id)).length, { timeout: 60_000 }).toBe(4)
    const warn = await logOf(id)
    expect(warn[0]).toBe(
      "task each_0-wait: mapping (source: $.it, target: $.input.go) wrote nothing: source $.it matched nothing, so $.input.go was not written (the mapping root holds only $.context, $.input and $.output: a foreach's item is $.context.<item>)",
    )
    expect(warn.slice(1).map((l) => l.match(/wrote nothing ([\d,]+) times so far/)?.[1])).toEqual(['10', '100', '1,000'])
    await t.call('POST', `/api/v1/jobs/${jobId()}/cancel`)
  }, 90_000)
})

describe('mapping_evaluation.json tells which tolerant rules it skipped', () => {
  it('answers 200 with the mapped fields and `skipped` naming each rule and why', async () => {
    const mappings = [
      { source: '$.context.x', target: '$.input.a', transform: 'this is not aviator ((' },
      { source: '$.context.x', target: '$.input.b' },
      { source: '$.context.x', target: '$.input.c', transform: 'while true { }', tolerance: true },
    ]
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings, context: { x: 1 } })
    expect(r.status).toBe(200)
    expect(r.body.input).toEqual({ b: 1 })
    expect(r.body.skipped).toHaveLength(2)
    expect(r.body.skipped[0]).toMatchObject({ mapping: 0, source: '$.context.x', target: '$.input.a' })
    expect(r.body.skipped[1]).toMatchObject({ mapping: 2, source: '$.context.x', target: '$.input.c' })
    expect(r.body.skipped[1].reason).toMatch(/^Step budget of 100000 exceeded/)
  })

  it('answers without `skipped` when no rule failed', async () => {
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.x', target: '$.input.b' }], context: { x: 1 } })
    expect(r.status).toBe(200)
    expect(r.body).toEqual({ context: { x: 1 }, input: { b: 1 }, output: {} })
  })
})
