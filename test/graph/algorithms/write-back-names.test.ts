// A write-back property's name is judged by one rule wherever it is given (#9, new-user trial): the
// algorithm API, a graph workflow's save and its form say the same; a graph that does not exist is
// named by the request's field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validateGraphWorkflow } from '../../../shared/graph-workflows'
import { startTestApp, type TestApp } from '../../support/app'
import { seedSocialGraph } from '../support'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp()
  await seedSocialGraph(t.app, t.dir)
}, 60_000)
afterAll(() => t.close())

const submit = (body: Record<string, unknown>) => t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', source: { kind: 'graph', graph: 'social', edgeLabel: 'knows' }, ...body })

/** The problems a graph workflow with one PageRank component writing back into `property` is stored with. */
const workflowProblems = (property: unknown) =>
  validateGraphWorkflow({
    name: 'wb',
    components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'social', edgeLabel: 'knows' }, writeBack: { property } }],
    wires: [],
  }).errors

describe('write-back property names', () => {
  it('refuses a name TuGraph refuses in a graph workflow, as the run would, naming writeBack.property', () => {
    const [problem, ...rest] = workflowProblems('bad name!')
    expect(rest).toEqual([])
    expect(problem).toMatchObject({ component: 'PageRank_1', field: 'components[0].writeBack.property' })
    expect(problem.message).toMatch(/^PageRank_1: .*Invalid Field: name can only contain alphabetic and numeric characters and underscore/)
    expect(workflowProblems('rank_2')).toEqual([])
  })

  it('gives a 300-character name the same message in a graph workflow as in the algorithm API', async () => {
    const long = 'r'.repeat(300)
    const res = await submit({ writeBack: { property: long } })
    expect(res.status).toBe(400)
    expect(res.body.error.field).toBe('writeBack.property')
    const [problem] = workflowProblems(long)
    expect(problem.field).toBe('components[0].writeBack.property')
    expect(problem.message).toBe(`PageRank_1: ${res.body.error.message}`)
    expect(res.body.error.message).toBe('writeBack.property must be 1 to 256 characters')
  })

  it('names source.graph when the graph does not exist', async () => {
    const res = await submit({ source: { kind: 'graph', graph: 'nosuchgraph' } })
    expect(res.status).toBe(404)
    expect(res.body.error).toMatchObject({ code: 'graph_not_found', field: 'source.graph' })
  })
})
