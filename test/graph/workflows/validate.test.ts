// The graph workflow validator (shared/graph-workflows.ts): what the canvas shows before a run and
// the server refuses to store. Each problem names its component.
import { describe, expect, it } from 'vitest'
import { inputAnchors, outputAnchors, validateGraphWorkflow, type GraphWorkflowDocument } from '../../../shared/graph-workflows'
import { threadCpuMs } from '../../support/cpu-time'

//   query_1 ──output0──► src ┐
//           ──output1──► dst ┴ PageRank_1
const twoStep = (): GraphWorkflowDocument => ({
  name: 'rank',
  components: [
    { id: 'query_1', kind: 'query', graph: 'social', query: 'MATCH (a)-[:knows]->(b) WHERE a.age > $age RETURN a.id, b.id', params: [{ name: 'age', type: 'int', default: 0 }], outputs: ['output0', 'output1'] },
    { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' }, params: { ITERATIONS: 20 } },
  ],
  wires: [
    { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'PageRank_1', anchor: 'src' } },
    { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'dst' } },
  ],
})

const problems = (doc: unknown) => validateGraphWorkflow(doc).errors

describe('graph workflow documents', () => {
  it('accepts a wired two-component workflow and derives its anchors', () => {
    expect(validateGraphWorkflow(twoStep())).toEqual({ valid: true, errors: [] })
    const [q, pr] = twoStep().components
    expect(outputAnchors(q)).toEqual(['output0', 'output1'])
    expect(inputAnchors(q)).toEqual(['age'])
    expect(outputAnchors(pr)).toEqual(['VID', 'VALUE'])
    expect(inputAnchors(pr)).toEqual(['src', 'dst', 'weight', 'ITERATIONS', 'IS_DIRECTED', 'EPS', 'DAMPING'])
    // output columns follow the parameters: TriangleCount OPT 2 is VID, COUNT
    expect(outputAnchors({ id: 't', kind: 'algorithm', algorithm: 'TriangleCount', input: { kind: 'graph', graph: 'g' }, params: { OPT: '2' } })).toEqual(['VID', 'COUNT'])
  })

  it('names an unwired input', () => {
    const doc = twoStep()
    doc.wires.pop()
    expect(problems(doc)).toEqual([{ component: 'PageRank_1', field: 'components[1].input', message: 'PageRank_1: input dst is not wired; wire it to an upstream output anchor' }])
  })

  it('names a missing required parameter unless it is wired', () => {
    const doc = twoStep()
    doc.components.push({ id: 'SSSP_1', kind: 'algorithm', algorithm: 'SSSP', input: { kind: 'graph', graph: 'social' } })
    expect(problems(doc)).toEqual([expect.objectContaining({ component: 'SSSP_1', field: 'components[2].params.ROOT', message: expect.stringMatching(/parameter ROOT is required/) })])
    doc.wires.push({ from: { component: 'query_1', anchor: 'output0' }, to: { component: 'SSSP_1', anchor: 'ROOT' } })
    expect(problems(doc)).toEqual([])
  })

  it('names a cycle with its path', () => {
    const doc = twoStep()
    doc.components[0] = { ...doc.components[0], params: [{ name: 'age', type: 'int' }] } as GraphWorkflowDocument['components'][0]
    doc.wires.push({ from: { component: 'PageRank_1', anchor: 'VALUE' }, to: { component: 'query_1', anchor: 'age' } })
    expect(problems(doc)).toEqual([{ component: 'query_1', field: 'wires', message: 'cycle found: query_1 -> PageRank_1 -> query_1' }])
  })

  it('names unknown anchors, algorithms, parameters, bad values and duplicate ids', () => {
    const doc = twoStep() as any
    doc.wires[0].from.anchor = 'output9'
    doc.wires[1].to.anchor = 'destination'
    doc.components[1].params = { ITERATIONS: 'many', SPEED: 1 }
    doc.components.push({ id: 'query_1', kind: 'query', graph: 'g', query: 'RETURN 1', outputs: [] })
    doc.components.push({ id: 'x', kind: 'algorithm', algorithm: 'Magic', input: { kind: 'upstream' } })
    doc.components.push({ id: 'w', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'e.csv' }, writeBack: { property: 'p' } })
    const found = problems(doc)
    const texts = found.map((e) => `${e.component ?? ''}|${e.field}|${e.message}`)
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PageRank_1\|components\[1\]\.params\.ITERATIONS\|PageRank_1: ITERATIONS must be a int, not "many"/),
        expect.stringMatching(/^PageRank_1\|components\[1\]\.params\.SPEED\|PageRank_1: PageRank has no parameter SPEED/),
        expect.stringMatching(/^query_1\|components\[2\]\.id\|component id query_1 is used twice/),
        expect.stringMatching(/^x\|components\[3\]\.algorithm\|x: algorithm must be one of PageRank/),
        expect.stringMatching(/^w\|components\[4\]\.writeBack\|w: only a graph input has a graph to write back into/),
        expect.stringMatching(/^query_1\|wires\[0\]\.from\|query_1 has no output anchor "output9"; it has output0, output1/),
        expect.stringMatching(/^PageRank_1\|wires\[1\]\.to\|PageRank_1 has no input anchor "destination"/),
      ]),
    )
  })

  it('marks a graph workflow whose algorithm component asks for 1e12 passes invalid before it runs', () => {
    const doc = { name: 'too long', components: [{ id: 'Louvain_1', kind: 'algorithm', algorithm: 'Louvain', input: { kind: 'graph', graph: 'social' }, params: { OUTER_ITERATION: 1e12 } }], wires: [] }
    expect(validateGraphWorkflow(doc).errors).toEqual([
      { component: 'Louvain_1', field: 'components[0].params.OUTER_ITERATION', message: 'Louvain_1: OUTER_ITERATION must be from 1 to 100000, not 1000000000000' },
    ])
  })

  it('refuses a second wire into one input and shapes that are not workflows', () => {
    const doc = twoStep()
    doc.wires.push({ from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'src' } })
    expect(problems(doc)).toEqual([{ component: 'PageRank_1', field: 'wires[2].to', message: 'input src of PageRank_1 is already wired (wires[0])' }])
    expect(problems(null)[0].message).toMatch(/must be an object/)
    expect(problems({ name: 'x', components: [] })).toEqual([{ field: 'components', message: 'components must be a non-empty list' }])
    expect(problems({ name: '', components: [{ id: '1bad', kind: 'query' }] }).map((e) => e.field)).toEqual(['name', 'components[0].id'])
  })

  it('refuses a file input that leaves the upload folder, as the run would (#9.2)', () => {
    const withPath = (path: string) => ({ name: 'f', components: [{ id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'file', path } }], wires: [] })
    for (const [path, why] of [
      ['../admin/knows.csv', /leaves your upload folder/],
      ['a/../../b.csv', /leaves your upload folder/],
      ['..\\admin\\knows.csv', /leaves your upload folder/],
      ['/etc/passwd', /absolute path/],
      ['\\\\server\\share\\x.csv', /absolute path/],
      ['C:\\data\\x.csv', /absolute path/],
      ['c:x.csv', /absolute path/],
      ['./.', /names no file/],
      ['a\u0000b.csv', /NUL/],
      ['movie\\knows.csv', /backslash \(\\\): use "\/" between folders, as in movie\/knows\.csv/], // #9 §6: `\` as a separator overwrote movie/knows.csv
    ] as const) {
      expect(problems(withPath(path)), path).toEqual([{ component: 'PageRank_1', field: 'components[0].input.path', message: expect.stringMatching(new RegExp(`^PageRank_1: .*${why.source}`)) }])
    }
    for (const path of ['knows.csv', './movie/raw/knows.csv', 'a..b.csv']) expect(problems(withPath(path)), path).toEqual([])
  })
})

describe('hostile graph workflow documents (acceptance trial, #15)', () => {
  it('names an algorithm called after an Object property (__proto__, constructor, toString) instead of failing with a 500', () => {
    for (const algorithm of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const doc = { name: 'p', components: [{ id: 'A', kind: 'algorithm', algorithm, input: { kind: 'upstream' } }, { id: 'B', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'g' } }], wires: [{ from: { component: 'A', anchor: 'VID' }, to: { component: 'B', anchor: 'IS_DIRECTED' } }] }
      const found = problems(doc)
      expect(found[0], algorithm).toEqual({ component: 'A', field: 'components[0].algorithm', message: expect.stringMatching(/^A: algorithm must be one of PageRank/) })
      expect(outputAnchors(doc.components[0] as never), algorithm).toEqual([])
      expect(inputAnchors(doc.components[0] as never), algorithm).toEqual(['src', 'dst', 'weight'])
    }
  })

  it('refuses a document of 60,000 components at once, without checking each (it took seconds of the main thread)', () => {
    const n = 60_000
    const doc = {
      name: 'big',
      components: Array.from({ length: n }, (_, i) => ({ id: `q${i}`, kind: 'query', graph: 'g', query: 'MATCH (n) RETURN n', outputs: ['output0'], params: [{ name: 'p', type: 'int' }] })),
      wires: Array.from({ length: n - 1 }, (_, i) => ({ from: { component: `q${i}`, anchor: 'output0' }, to: { component: `q${i + 1}`, anchor: 'p' } })),
    }
    const at = threadCpuMs()
    expect(problems(doc)).toEqual([{ field: 'components', message: 'a workflow has at most 200 components, not 60000' }])
    expect(threadCpuMs() - at).toBeLessThan(100) // 5.7 s before
  })

  it('refuses a query parameter default longer than a run input may be', () => {
    const doc = twoStep()
    doc.components[0] = { ...doc.components[0], params: [{ name: 'age', type: 'string', default: 'x'.repeat(100_001) }] } as never
    expect(problems(doc)).toEqual([{ component: 'query_1', field: 'components[0].params[0].default', message: 'query_1: parameter age: the default is longer than 100000 characters' }])
  })
})
