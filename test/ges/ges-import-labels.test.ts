// GES import-graph creating labels (#9, fixges3): four imports at once declaring the same new label P
// with different properties once ended one way or another by timing: one succeeded and three failed
// "… not comparable in two schema" (two imports both saw P missing and both created it), or an import
// that saw P made a moment before succeeded with its own property silently skipped. Labels are now
// checked and created in one write transaction of the graph: exactly one import makes P, and every
// import whose schema file declares P otherwise fails naming P and the property, in the same words
// whether P was made a millisecond or a day before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { nativeCypher, upload } from '../graph/support'
import { gesToken } from './support'

let t: TestApp
let token: string

beforeAll(async () => {
  t = await startTestApp()
  token = await gesToken(t.url)
}, 120_000)
afterAll(() => t.close())

const schemaXml = (labels: string) => `<?xml version="1.0"?><PMML version="3.0"><labels>${labels}</labels></PMML>`
const labelP = (prop: string, type = 'string') => `<label name="P"><properties><property name="${prop}" cardinality="single" dataType="${type}"/></properties></label>`

/** Starts import-graph into `graph` (schema and vertex file under `dir`); its job uuid. */
async function start(graph: string, dir: string): Promise<string> {
  const res = await fetch(`${t.url}/v2/p1/graphs/${graph}/import-graph`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-auth-token': token },
    body: JSON.stringify({ schema_path: `${dir}/schema.xml`, vertexset_path: `${dir}/v.csv` }),
  })
  expect(res.status).toBe(200)
  return ((await res.json()) as { job_id: string }).job_id
}

/** Waits for a GES job to end; its v2 status. */
async function ended(graph: string, uuid: string): Promise<{ status: string; fail_reason: string | null }> {
  await t.app.engine.waitFor(t.app.store.jobs.getByUuid(uuid)!.id)
  const res = await fetch(`${t.url}/v2/p1/graphs/${graph}/jobs/${uuid}/status`, { headers: { 'x-auth-token': token } })
  return (await res.json()) as { status: string; fail_reason: string | null }
}

/** The job's reason (its one task is named import) when the schema file gives P a property the graph's P lacks. */
const missing = (graph: string, prop: string, type = 'STRING') =>
  `task import: label P of the schema file has property ${prop} (${type}), which vertex label P of graph ${graph} does not have; import with a schema file that gives P the graph's properties, or into another graph`

describe('GES import-graph and labels made at once', () => {
  it('four imports declaring P differently at once: one makes P, three fail naming P and their property, every round', async () => {
    const props = ['a', 'b', 'c', 'd']
    for (let round = 0; round < 3; round++) {
      const graph = `race${round}`
      expect((await t.call('POST', '/api/v1/graphs', { graph })).status).toBe(201)
      for (const p of props) {
        upload(t.dir, `${graph}/${p}/schema.xml`, schemaXml(labelP(p)))
        upload(t.dir, `${graph}/${p}/v.csv`, `${p}1,P,${p}-value\n`)
      }
      const jobs = await Promise.all(props.map((p) => start(graph, `${graph}/${p}`)))
      const ends = await Promise.all(jobs.map((uuid) => ended(graph, uuid)))
      const won = ends.findIndex((e) => e.status === 'success')
      expect(ends.filter((e) => e.status === 'success'), JSON.stringify(ends)).toHaveLength(1)
      ends.forEach((e, i) => {
        if (i !== won) expect(e).toMatchObject({ status: 'failed', fail_reason: missing(graph, props[i]) })
      })
      const info = await t.app.graph.getGraph(graph, { user: 'admin' })
      expect(info.labels.map((l) => `${l.kind}:${l.name}:${l.count}:${l.def.properties.map((p) => p.name).join('+')}`)).toEqual([`vertex:P:1:id+${props[won]}`])
    }
  })

  it('fails the same way, naming the property and both types, when P was made long before; a schema file that agrees imports', async () => {
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'before' })).status).toBe(201)
    upload(t.dir, 'before/first/schema.xml', schemaXml(labelP('a', 'int')))
    upload(t.dir, 'before/first/v.csv', 'x,P,1\n')
    expect(await ended('before', await start('before', 'before/first'))).toMatchObject({ status: 'success' })
    upload(t.dir, 'before/other/schema.xml', schemaXml(labelP('b')))
    upload(t.dir, 'before/other/v.csv', 'y,P,text\n')
    const other = await start('before', 'before/other')
    expect(await ended('before', other)).toMatchObject({ status: 'failed', fail_reason: missing('before', 'b') })
    // failed while it prepared (after its split): its files' report stays (job_detail), nothing imported, nothing live
    const res = await fetch(`${t.url}/v2/p1/graphs/before/jobs/${other}/status`, { headers: { 'x-auth-token': token } })
    expect(await res.json()).toMatchObject({ job_progress: 0, job_detail: { vertexset_path: [{ path: 'before/other/v.csv', total_lines: 1 }] } })
    expect((await t.call('GET', `/api/v1/imports/${other}`)).body).toMatchObject({ status: 'failed', progress: 0, live: null, ges: { vertices: [{ path: 'before/other/v.csv' }] } })
    upload(t.dir, 'before/typed/schema.xml', schemaXml(labelP('a')))
    upload(t.dir, 'before/typed/v.csv', 'z,P,text\n')
    expect(await ended('before', await start('before', 'before/typed'))).toMatchObject({
      status: 'failed',
      fail_reason: 'task import: label P of the schema file has property a as STRING; vertex label P of graph before has it as INT32; import with a schema file that gives P the graph\'s properties, or into another graph',
    })
    upload(t.dir, 'before/same/schema.xml', schemaXml(labelP('a', 'int')))
    upload(t.dir, 'before/same/v.csv', 'w,P,2\n')
    expect(await ended('before', await start('before', 'before/same'))).toMatchObject({ status: 'success' })
    expect((await t.app.graph.getGraph('before', { user: 'admin' })).labels.map((l) => `${l.kind}:${l.name}:${l.count}`)).toEqual(['vertex:P:2'])
  })
})

// #9, fixges4: the split found a line's label by name alone among the graph's labels, vertex labels
// first, so an edge line of label P in a graph with vertex label P (name) and edge label P (weight)
// followed the vertex label's properties: its third field went to column name, and the import failed
// "label P of the schema file has property name (STRING), which edge label P … does not have".
describe('GES import-graph into a graph with a vertex label and an edge label of one name', () => {
  it('an edge line follows the edge label\'s properties, not the vertex label\'s: its weight is stored', async () => {
    expect((await t.call('POST', '/api/v1/graphs', { graph: 'twin' })).status).toBe(201)
    const schema = {
      schema: [
        { label: 'P', type: 'VERTEX', primary: 'id', properties: [{ name: 'id', type: 'STRING' }, { name: 'name', type: 'STRING', optional: true }] },
        { label: 'P', type: 'EDGE', properties: [{ name: 'weight', type: 'DOUBLE', optional: true }] },
      ],
    }
    const made = await t.call('POST', '/api/v1/graphs/twin/schema', schema)
    expect(made.status, JSON.stringify(made.body)).toBe(200)
    upload(t.dir, 'twin/v.csv', 'a,P,Alice\nb,P,Bob\n')
    upload(t.dir, 'twin/e.csv', 'a,b,P,0.5\n')
    const res = await fetch(`${t.url}/v2/p1/graphs/twin/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ vertexset_path: 'twin/v.csv', edgeset_path: 'twin/e.csv' }),
    })
    expect(res.status).toBe(200)
    const end = await ended('twin', ((await res.json()) as { job_id: string }).job_id)
    expect(end, JSON.stringify(end)).toMatchObject({ status: 'success' })
    const rows = await nativeCypher(t, 'twin', 'MATCH (s:P)-[e:P]->(d:P) RETURN s.id, s.name, e.weight, d.id')
    expect(rows.status, JSON.stringify(rows.body)).toBe(200)
    expect(rows.body.rows).toEqual([['a', 'Alice', 0.5, 'b']])
  })
})
