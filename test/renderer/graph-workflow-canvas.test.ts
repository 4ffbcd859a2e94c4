// The graph workflow canvas's document <-> canvas mapping (#15.2): nodes and anchors from the shared
// definitions, wires as edges and back, edits that keep the document valid to draw, and the
// validator's problems at the components they name.
import { describe, expect, it } from 'vitest'
import { ALGORITHM_NAMES } from '../../shared/algorithms'
import { validateGraphWorkflow, type GraphWorkflowDocument, type GraphWorkflowJobView, type GraphWorkflowTaskView } from '../../shared/graph-workflows'
import { initialTexts, needsRunInput, runInputFields, runInputOf } from '../../renderer/src/features/graph-workflows/run-input'
import {
  connect,
  graphWarnings,
  issueOfServerError,
  issueText,
  issuesByComponent,
  newComponent,
  nextComponentId,
  paletteGroups,
  parseParam,
  removeComponents,
  removeWires,
  toCanvas,
  updateComponent,
  wireId,
  wireOf,
  withPositions,
} from '../../renderer/src/features/graph-workflows/canvas-model'

const doc = (): GraphWorkflowDocument => ({
  name: 'ranked',
  components: [
    { id: 'query_1', kind: 'query', graph: 'default', query: 'MATCH (a)-[]->(b) RETURN id(a), id(b)', outputs: ['output0', 'output1'], position: { x: 0, y: 0 } },
    { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' }, position: { x: 300, y: 0 } },
  ],
  wires: [
    { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'PageRank_1', anchor: 'src' } },
    { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'dst' } },
  ],
})

describe('palette', () => {
  it('offers Query and every algorithm the executor runs, each once, grouped by category', () => {
    const groups = paletteGroups()
    expect(groups[0].title).toBe('Query')
    const algorithms = groups.flatMap((g) => g.entries.flatMap((e) => (e.entry.kind === 'algorithm' ? [e.entry.algorithm] : [])))
    expect([...algorithms].sort()).toEqual([...ALGORITHM_NAMES].sort())
    expect(groups.find((g) => g.title === 'Path')!.entries.map((e) => e.label)).toEqual(['SSSP', 'BFS', 'ShortestPath', 'APSP'])
  })

  it('names new components as Explorer does, with the smallest free number', () => {
    const d = doc()
    expect(nextComponentId(d, 'query')).toBe('query_2')
    expect(nextComponentId(d, 'WCC')).toBe('WCC_1')
    const c = newComponent(d, { kind: 'algorithm', algorithm: 'PageRank' }, 'g', { x: 1, y: 2 })
    expect(c).toEqual({ id: 'PageRank_2', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'g' }, params: {}, position: { x: 1, y: 2 } })
    const q = newComponent(d, { kind: 'query' }, 'g', { x: 0, y: 0 })
    // a new component is valid as it is when its algorithm needs no parameter
    expect(validateGraphWorkflow({ name: 'n', components: [q, c], wires: [] }).valid).toBe(true)
  })
})

describe('document -> canvas', () => {
  it('draws components with their anchors and wires as edges between handles', () => {
    const { nodes, edges } = toCanvas(doc(), { selected: 'PageRank_1' })
    expect(nodes.map((n) => [n.id, n.position, n.selected])).toEqual([
      ['query_1', { x: 0, y: 0 }, false],
      ['PageRank_1', { x: 300, y: 0 }, true],
    ])
    const pr = nodes[1].data
    expect(pr.outputs).toEqual(['VID', 'VALUE'])
    expect(pr.inputs.slice(0, 3)).toEqual([
      { anchor: 'src', wired: true, required: true },
      { anchor: 'dst', wired: true, required: true },
      { anchor: 'weight', wired: false, required: false },
    ])
    expect(pr.inputs.map((i) => i.anchor)).toEqual(['src', 'dst', 'weight', 'ITERATIONS', 'IS_DIRECTED', 'EPS', 'DAMPING'])
    expect(edges[0]).toMatchObject({ id: 'query_1.output0->PageRank_1.src', source: 'query_1', sourceHandle: 'out:output0', target: 'PageRank_1', targetHandle: 'in:src' })
  })

  it('an output that depends on a parameter follows it (DegreeCentrality TYPE=in)', () => {
    const d: GraphWorkflowDocument = { name: 'd', components: [{ id: 'D', kind: 'algorithm', algorithm: 'DegreeCentrality', input: { kind: 'graph', graph: 'g' }, params: { TYPE: 'in' } }], wires: [] }
    expect(toCanvas(d).nodes[0].data.outputs).toEqual(['VID', 'IN_DEGREE'])
  })

  it('places components saved without positions left to right by their wires', () => {
    const d = doc()
    d.components.forEach((c) => delete c.position)
    const placed = withPositions(d)
    const [q, pr] = placed.components.map((c) => c.position!)
    expect(pr.x).toBeGreaterThan(q.x + 200)
    expect(withPositions(placed)).toBe(placed) // nothing to fill: the same document
  })

  it('colours by the shown job and marks the validator problems at their components', () => {
    const d = doc()
    d.wires = d.wires.slice(0, 1) // dst unwired
    d.components.push({ id: 'BFS_1', kind: 'algorithm', algorithm: 'BFS', input: { kind: 'graph', graph: 'g' } })
    const issues = issuesByComponent(validateGraphWorkflow(d).errors)
    const task: GraphWorkflowTaskView = { id: 'query_1', name: 'Query', kind: 'query', status: 'succeeded', error: null, startedAt: 1, finishedAt: 2, resultIndex: 0, rows: 3, outputs: ['output0', 'output1'] }
    const { nodes, edges } = toCanvas(d, { issues, tasks: new Map([['query_1', task]]) })
    expect(nodes[0].data.task).toBe(task)
    expect(nodes[0].data.issues).toEqual([])
    expect(nodes[1].data.issues).toEqual(['input dst is not wired; wire it to an upstream output anchor'])
    expect(nodes[2].data.issues[0]).toMatch(/^parameter ROOT is required/)
    expect(nodes[2].data.inputs.find((i) => i.anchor === 'ROOT')).toEqual({ anchor: 'ROOT', wired: false, required: true })
    expect(edges[0].className).toBe('gw-wire-done')
    expect(nodes[1].data.notRun).toBe(false)
    const pending: GraphWorkflowTaskView = { ...task, id: 'PageRank_1', status: 'pending', startedAt: null, finishedAt: null }
    const ended = toCanvas(d, { tasks: new Map([['query_1', task], ['PageRank_1', pending]]), jobEnded: true })
    expect(ended.nodes[1].data.notRun).toBe(true) // the job is over and it never started
    expect(toCanvas(d, { tasks: new Map([['PageRank_1', pending]]), jobEnded: false }).nodes[1].data.notRun).toBe(false)
  })

  it('marks a cycle at a component on it', () => {
    const d = doc()
    d.components[0] = { ...d.components[0], kind: 'query', params: [{ name: 'n', type: 'string', default: 'x' }] } as GraphWorkflowDocument['components'][0]
    const looped = connect(d, { from: { component: 'PageRank_1', anchor: 'VID' }, to: { component: 'query_1', anchor: 'n' } })
    const issues = issuesByComponent(validateGraphWorkflow(looped).errors)
    expect([...issues.keys()]).toHaveLength(1)
    expect([...issues.values()][0][0].message).toContain('cycle')
  })
})

describe('canvas -> document', () => {
  it('a drawn connection is a wire from an output anchor to an input anchor, never a component to itself', () => {
    expect(wireOf({ source: 'a', sourceHandle: 'out:VID', target: 'b', targetHandle: 'in:src' })).toEqual({ from: { component: 'a', anchor: 'VID' }, to: { component: 'b', anchor: 'src' } })
    expect(wireOf({ source: 'a', sourceHandle: 'out:VID', target: 'a', targetHandle: 'in:src' })).toEqual({ error: 'a component cannot feed itself' })
    expect('error' in wireOf({ source: 'a', sourceHandle: 'in:VID', target: 'b', targetHandle: 'out:src' })).toBe(true)
  })

  it('a second wire into an input replaces the first', () => {
    const d = connect(doc(), { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'src' } })
    expect(d.wires.map(wireId)).toEqual(['query_1.output1->PageRank_1.dst', 'query_1.output1->PageRank_1.src'])
  })

  it('deleting a component deletes its wires; deleting a wire keeps the components', () => {
    expect(removeComponents(doc(), ['query_1'])).toMatchObject({ components: [{ id: 'PageRank_1' }], wires: [] })
    const d = removeWires(doc(), ['query_1.output0->PageRank_1.src'])
    expect(d.components).toHaveLength(2)
    expect(d.wires.map(wireId)).toEqual(['query_1.output1->PageRank_1.dst'])
  })

  it('settings that remove anchors drop their wires; renamed query outputs keep theirs', () => {
    const d = doc()
    const graphInput = updateComponent(d, { ...d.components[1], input: { kind: 'graph', graph: 'g' } } as GraphWorkflowDocument['components'][0])
    expect(graphInput.wires).toEqual([])
    const renamed = updateComponent(d, { ...d.components[0], outputs: ['src_id', 'output1'] } as GraphWorkflowDocument['components'][0])
    expect(renamed.wires.map(wireId)).toEqual(['query_1.src_id->PageRank_1.src', 'query_1.output1->PageRank_1.dst'])
    expect(validateGraphWorkflow(renamed).valid).toBe(true)
    const fewer = updateComponent(d, { ...d.components[0], outputs: ['output0'] } as GraphWorkflowDocument['components'][0])
    expect(fewer.wires.map(wireId)).toEqual(['query_1.output0->PageRank_1.src'])
  })

  it('parameter text becomes the typed value, empty the default, and bad text stays for the validator to name', () => {
    expect(parseParam('int', ' 20 ')).toBe(20)
    expect(parseParam('float', '0.5')).toBe(0.5)
    expect(parseParam('bool', 'false')).toBe(false)
    expect(parseParam('int', '')).toBeUndefined()
    expect(parseParam('string', ' 1, 2')).toBe(' 1, 2')
    expect(parseParam('int', '2.5')).toBe('2.5')
    const d: GraphWorkflowDocument = { name: 'd', components: [{ id: 'P', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'g' }, params: { ITERATIONS: parseParam('int', '2.5')! } }], wires: [] }
    expect(validateGraphWorkflow(d).errors[0]).toMatchObject({ component: 'P', field: 'components[0].params.ITERATIONS' })
  })
})

describe('run input (#15.2): the query parameters a run asks for', () => {
  const doc: GraphWorkflowDocument = {
    name: 'asks',
    components: [
      {
        id: 'query_1',
        kind: 'query',
        name: 'Friends',
        graph: 'social',
        query: 'MATCH (a)-[:knows]->(b) WHERE a.id = $who AND a.age > $age RETURN id(a), id(b)',
        params: [
          { name: 'who', type: 'int' },
          { name: 'age', type: 'float', default: 18 },
          { name: 'strict', type: 'bool', default: false },
        ],
        outputs: ['a', 'b'],
      },
      { id: 'query_2', kind: 'query', graph: 'social', query: 'MATCH (n) WHERE id(n) = $vid RETURN n.name', params: [{ name: 'vid', type: 'int' }, { name: 'tag', type: 'string' }], outputs: ['name'] },
    ],
    wires: [{ from: { component: 'query_1', anchor: 'b' }, to: { component: 'query_2', anchor: 'vid' } }],
  }

  it('lists the unwired parameters with their defaults, and asks only when one has no default', () => {
    const fields = runInputFields(doc)
    expect(fields.map((f) => [f.key, f.componentName, f.type, f.default])).toEqual([
      ['query_1.who', 'Friends', 'int', undefined],
      ['query_1.age', 'Friends', 'float', 18],
      ['query_1.strict', 'Friends', 'bool', false],
      ['query_2.tag', 'Query', 'string', undefined], // vid is wired: not asked
    ])
    expect(needsRunInput(fields)).toBe(true)
    expect(needsRunInput(fields.filter((f) => f.default !== undefined))).toBe(false)
    expect(initialTexts(fields)).toEqual({ 'query_1.who': '', 'query_1.age': '18', 'query_1.strict': 'false', 'query_2.tag': '' })
  })

  it('checks each value against its type, takes defaults for empty fields, and names what is missing', () => {
    const fields = runInputFields(doc)
    expect(runInputOf(fields, { 'query_1.who': '7', 'query_1.age': '', 'query_1.strict': 'true', 'query_2.tag': ' x ' })).toEqual({
      input: { query_1: { who: 7, strict: true }, query_2: { tag: ' x ' } },
      errors: {},
    })
    expect(runInputOf(fields, { 'query_1.who': '7.5', 'query_1.age': 'old', 'query_1.strict': 'yes', 'query_2.tag': '' }).errors).toEqual({
      'query_1.who': 'who must be a whole number',
      'query_1.age': 'age must be a number',
      'query_1.strict': 'strict must be true or false',
      'query_2.tag': 'tag needs a value',
    })
    expect(runInputOf(fields, { 'query_1.who': '  ', 'query_2.tag': 'a' }).errors).toEqual({ 'query_1.who': 'who needs a value' })
    expect(runInputOf(fields, { 'query_1.who': '1'.repeat(16), 'query_2.tag': 'a' }).errors).toEqual({ 'query_1.who': 'who must be a whole number' })
    expect(runInputOf(fields, { 'query_1.who': '-3', 'query_1.age': '1e3', 'query_2.tag': 'a' }).input.query_1).toEqual({ who: -3, age: 1000 })
  })
})

describe('checks at save on the canvas (#15.3)', () => {
  it('the validator refuses a graph name that is no name, at its component and field', () => {
    const d = doc()
    d.components[0] = { ...d.components[0], graph: '../default' } as never
    const issue = validateGraphWorkflow(d).errors.find((i) => i.field === 'components[0].graph')
    expect(issue).toMatchObject({ component: 'query_1', message: expect.stringMatching(/query_1: graph "\.\.\/default" is no graph name: Invalid Graph: name can only contain/) })
  })

  it('warns at a component whose graph is not among the user’s graphs, and not while they are unknown', () => {
    const d = doc()
    d.components.push({ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'later' } })
    const warnings = graphWarnings(d, ['default'])
    expect([...warnings.keys()]).toEqual(['WCC_1'])
    expect(warnings.get('WCC_1')![0]).toMatchObject({ field: 'components[2].input.graph', message: 'WCC_1: graph later does not exist (yet); a run needs it' })
    expect(graphWarnings(d, null).size).toBe(0)
    const drawn = toCanvas(d, { warnings })
    expect(drawn.nodes.find((n) => n.id === 'WCC_1')!.data.warnings).toEqual(['graph later does not exist (yet); a run needs it'])
    expect(drawn.nodes.find((n) => n.id === 'query_1')!.data.warnings).toEqual([])
  })

  it('marks the component a server refusal names (a query that does not parse)', () => {
    const issue = issueOfServerError(doc(), { field: 'document.components[0].query', message: 'query_1: the query does not parse: Only one statement per request is supported' })
    expect(issue).toEqual({ component: 'query_1', field: 'components[0].query', message: 'query_1: the query does not parse: Only one statement per request is supported' })
    expect(issueOfServerError(doc(), { field: 'input.query_1.x', message: 'x' })).toBeNull()
    expect(issueOfServerError(doc(), { field: 'document.components[9].query', message: 'x' })).toBeNull()
  })
})

describe('issue wording (#15.2)', () => {
  it("says what to do for an empty workflow instead of the API's wording, and drops a component's id prefix", () => {
    const empty = validateGraphWorkflow({ name: 'x', components: [], wires: [] }).errors
    expect(empty.map(issueText)).toEqual(['Add a component from the palette'])
    expect(issueText({ component: 'WCC_1', field: 'components[0].input', message: 'WCC_1: input is required' })).toBe('input is required')
  })
})

describe('rerun note (#15.2): a note about a job goes when that job ends or another is shown', () => {
  const view = (id: number, status: string) => ({ job: { id, status }, components: [] }) as unknown as GraphWorkflowJobView
  it('holds while its job runs, not once it ended, another job or none is shown; a note about no job stays', async () => {
    const { noteHolds } = await import('../../renderer/src/features/graph-workflows/store')
    expect(noteHolds(2, view(2, 'running'))).toBe(true)
    expect(noteHolds(2, view(2, 'queued'))).toBe(true)
    expect(noteHolds(2, view(2, 'cancelled'))).toBe(false)
    expect(noteHolds(2, view(2, 'succeeded'))).toBe(false)
    expect(noteHolds(2, view(3, 'running'))).toBe(false)
    expect(noteHolds(2, null)).toBe(false)
    expect(noteHolds(null, view(2, 'cancelled'))).toBe(true)
  })
})
