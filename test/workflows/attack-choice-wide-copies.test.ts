// Attack (atk28) on d2161e2 and the choice task it copied from: every matched choice's sub-context is
// `structuredClone(input)` (groups.ts startChoice), all made in the tick that starts the choice and
// stored as group rows, with no bound on their size together. A foreach whose sub-contexts would
// together pass the size a stored value may have (STATE_JSON_LIMIT, 16 MB) is refused up front with
// that reason (subContextsTooLarge); a choice of 40 branches whose conditions all hold, over an input
// of 300,000 small objects (a 2.4 MB context, inside the 4 MB submit limit), makes 40 copies (12
// million objects, ~96 MB of JSON) in one turn of the event loop, and stores them all. Expected: the
// choice refused with a reason naming the size, as the foreach is (or its copies bounded otherwise).
// The cause: electron/workflows/rillflow/runtime/groups.ts startChoice (no subContextsTooLarge).
import { describe, expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { foreachDescriptor } from './support/foreach-descriptor'

const s = rillSuite()
const BRANCHES = 40
const o = Array.from({ length: 300_000 }, (_, i) => ({ a: i % 10 }))

const choice = (): string => {
  let yaml = `workspace: widecopy\ndagName: choice\ntype: flow\ntasks:\n  - category: choice\n    name: pick\n    inputMappings: [{source: $.context.o, target: $.input.o}]\n    choices:\n`
  for (let i = 0; i < BRANCHES; i++) yaml += `      - condition: $.input.[?(@.o)]\n        tasks: [{category: pass, name: c${i}}]\n`
  return yaml
}

const foreach = foreachDescriptor('widecopy', 'loop', { inputs: ['o', 'items'], tasks: '[{category: pass, name: P}]' })

describe('sub-contexts that together pass the stored-value limit', () => {
  it('the control: a foreach of 40 items over the same input is refused, naming the size', async () => {
    await s.rill.addDescriptor(foreach)
    const id = await s.rill.submit('widecopy:loop', { o, items: Array.from({ length: BRANCHES }, (_, i) => i) })
    const done = await s.rill.finished(id)
    expect(done.dag_status).toBe('FAILED')
    expect(JSON.stringify(done.tasks?.each ?? done)).toMatch(/a context holds at most/)
  }, 120_000)

  it('a choice of 40 matching branches over the same input is refused too', async () => {
    await s.rill.addDescriptor(choice())
    const id = await s.rill.submit('widecopy:choice', { o })
    const started = performance.now()
    const done = await s.rill.finished(id, 240_000)
    console.log(`choice of ${BRANCHES} over 300k objects: ended ${done.dag_status} after ${Math.round(performance.now() - started)} ms`)
    // fails: SUCCEED, 40 copies of the 2.4 MB input made in one tick and stored
    expect(done.dag_status).toBe('FAILED')
    expect(JSON.stringify(done.tasks?.pick ?? done)).toMatch(/a context holds at most|sub-contexts/)
  }, 300_000)
})
