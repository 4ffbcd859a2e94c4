// NebulaGraph Explorer's workflow API (reference/jobapis.md §B.2–B.3), driven over HTTP as a
// client written from its documents would: connect with both Bearer encodings and keep the
// explorer_token cookie, start jobs with `input`, list them with the JSON filter, paging and the
// exact casing, read a job's tasks, sample a task's result as rows of strings, cancel (5, then 4),
// and the envelope and codes of every refusal: no or a bad token, bad parameters, unknown ids,
// another user's job (answered as an unknown one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { DEFAULT_ADMIN } from '../../electron/services/auth.service'
import { seedSocialGraph, upload } from '../graph/support'

let t: TestApp
let cookie: string
let workflowId: number
let otherWorkflowId: number

const b64 = (s: string) => Buffer.from(s).toString('base64')

/** A call as an Explorer client: JSON, the explorer_token cookie unless told otherwise. */
async function ex(method: string, path: string, o: { body?: unknown; cookie?: string | null; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...(o.body !== undefined ? { 'content-type': 'application/json' } : {}), ...o.headers }
  const c = o.cookie === undefined ? cookie : o.cookie
  if (c) headers.cookie = `explorer_token=${c}`
  const res = await fetch(`${t.url}/api-open/v1${path}`, { method, headers, body: o.body === undefined ? undefined : JSON.stringify(o.body) })
  return { status: res.status, body: (await res.json()) as any, headers: res.headers }
}

async function connect(authorization: string, body: unknown = { address: '127.0.0.1', port: 9669 }) {
  const res = await fetch(`${t.url}/api-open/v1/connect`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as any, setCookie: res.headers.get('set-cookie') ?? '' }
}

const tokenOf = (setCookie: string) => /explorer_token=([^;]+)/.exec(setCookie)![1]

/** Starts a job of a workflow and waits for it to end; returns its id. */
async function runJob(id: number, input?: unknown): Promise<number> {
  const res = await ex('POST', `/workflows/${id}/jobs`, { body: input === undefined ? {} : { input } })
  expect(res.status, JSON.stringify(res.body)).toBe(200)
  expect(res.body).toEqual({ code: 0, message: 'Success', data: { id: expect.any(Number) } })
  await waitForStatus(t, res.body.data.id, ['succeeded', 'failed', 'cancelled'], 60_000)
  return res.body.data.id
}

beforeAll(async () => {
  t = await startTestApp()
  //   social: 1 → 2 → 3 → 1 (a triangle), 4 → 5 (a second component)
  await seedSocialGraph(t.app, t.dir, { bootQueryWorker: true })
  //   query_1 ($minAge) ──output0/output1──► PageRank_1 (src, dst)
  const made = await t.call('POST', '/api/v1/graph-workflows', {
    document: {
      name: 'workflow_q745a',
      components: [
        { id: 'query_1', kind: 'query', graph: 'social', query: 'MATCH (a:person)-[:knows]->(b:person) WHERE a.age >= $minAge RETURN a.name, b.name', params: [{ name: 'minAge', type: 'int', default: 0 }], outputs: ['output0', 'output1'] },
        { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'upstream' } },
      ],
      wires: [
        { from: { component: 'query_1', anchor: 'output0' }, to: { component: 'PageRank_1', anchor: 'src' } },
        { from: { component: 'query_1', anchor: 'output1' }, to: { component: 'PageRank_1', anchor: 'dst' } },
      ],
    },
  })
  expect(made.status, JSON.stringify(made.body)).toBe(201)
  workflowId = made.body.id
  const other = await t.call('POST', '/api/v1/graph-workflows', { document: { name: 'wcc_only', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'social' } }], wires: [] } })
  otherWorkflowId = other.body.id
  cookie = tokenOf((await connect(`Bearer ${b64(`${DEFAULT_ADMIN.username}:${DEFAULT_ADMIN.password}`)}`)).setCookie)
}, 120_000)
afterAll(() => t.close())

describe('Explorer connect', () => {
  it('takes both Bearer encodings and sets the explorer_token cookie for 3 days', async () => {
    for (const value of [b64('admin:73@TuGraph'), b64(JSON.stringify(['admin', '73@TuGraph']))]) {
      const res = await connect(`Bearer ${value}`)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ code: 0, data: { success: true }, message: 'Success' })
      expect(res.setCookie).toMatch(/^explorer_token=[^;]+;/)
      expect(res.setCookie).toMatch(/Max-Age=259200/)
      expect(res.setCookie).toMatch(/Path=\//)
      expect(res.setCookie).toMatch(/HttpOnly/)
      // the new token works
      expect((await ex('GET', '/jobs', { cookie: tokenOf(res.setCookie) })).body.code).toBe(0)
    }
  })

  it('refuses a wrong password, a bad Authorization and a bad body in the envelope', async () => {
    const wrong = await connect(`Bearer ${b64('admin:nope-nope')}`)
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual({ code: 40104000, message: expect.stringMatching(/^ErrUnauthorized: wrong username or password/) })
    expect(wrong.setCookie).toBe('')
    expect((await connect('Basic abc')).body.code).toBe(40104000)
    expect((await connect(`Bearer ${b64('no-colon')}`)).body.code).toBe(40104000)
    expect((await connect(`Bearer ${b64('["admin"]')}`)).body.code).toBe(40104000)
    const badPort = await connect(`Bearer ${b64('admin:73@TuGraph')}`, { address: 'h', port: 'many' })
    expect(badPort.status).toBe(400)
    expect(badPort.body).toEqual({ code: 40004001, message: expect.stringMatching(/^ErrParam: port/) })
  })

  it('refuses calls without a token or with an unknown one; takes the token as a header too', async () => {
    const none = await ex('GET', '/jobs', { cookie: null })
    expect(none.status).toBe(401)
    expect(none.body).toEqual({ code: 40104000, message: expect.stringMatching(/^ErrUnauthorized: no explorer_token/) })
    const bogus = await ex('GET', '/jobs', { cookie: 'not-a-token' })
    expect(bogus.status).toBe(401)
    expect(bogus.body.code).toBe(40104001)
    expect((await ex('GET', '/jobs', { cookie: null, headers: { explorer_token: cookie } })).body.code).toBe(0)
    expect((await ex('GET', '/nothing-here')).body.code).toBe(40404000)
  })
})

describe('Explorer jobs', () => {
  it('starts a job with input and shows it with its tasks, ISO task times and 32-hex task ids', async () => {
    const id = await runJob(workflowId, { query_1: { minAge: 32 } })
    const res = await ex('GET', `/jobs/${id}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('traceparent')).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/)
    const job = res.body.data
    expect(job).toMatchObject({ id, workflowId: String(workflowId), workflowName: 'workflow_q745a', status: 2 })
    expect(job.name).toMatch(/^workflow_q745a_\d{14}$/)
    for (const k of ['runBeginTime', 'runEndTime', 'createTime']) expect(typeof job[k]).toBe('number')
    expect(job.tasks.map((x: any) => [x.name, x.status])).toEqual([['Query', 2], ['PageRank', 2]])
    for (const task of job.tasks) {
      expect(task.id).toMatch(/^[0-9a-f]{32}$/)
      expect(task.runBeginTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/)
      expect(Date.parse(task.runEndTime)).toBeGreaterThanOrEqual(Date.parse(task.runBeginTime))
    }
    // the sample: rows of strings, `limit` of them (10 by default)
    const sample = await ex('GET', `/jobs/${id}/tasks/${job.tasks[1].id}/sample_result?limit=1000`)
    expect(sample.body.code).toBe(0)
    const rows: string[][] = sample.body.data.items
    expect(rows.map((r) => r[0]).sort()).toEqual(['Ann', 'Cid', 'Dee', 'Eve'])
    for (const r of rows) {
      expect(r).toHaveLength(2)
      // a DOUBLE as Explorer's document shows it: "0.150000"
      expect(r[1]).toMatch(/^0\.\d{6}$/)
      expect(Number(r[1])).toBeGreaterThan(0)
    }
    // the native API keeps full precision
    const native = (await t.call('GET', `/api/v1/jobs/${id}/results/1`)).body
    expect(native.columns[1]).toEqual({ name: 'VALUE', type: 'DOUBLE' })
    const full = new Map<string, number>(native.rows.map((r: [string, number]) => [r[0], r[1]]))
    for (const r of rows) expect(r[1]).toBe(full.get(r[0])!.toFixed(6))
    expect([...full.values()].some((v) => String(v).length > 8)).toBe(true)
    expect((await ex('GET', `/jobs/${id}/tasks/${job.tasks[1].id}/sample_result?limit=2`)).body.data.items).toEqual(rows.slice(0, 2))
    expect((await ex('GET', `/jobs/${id}/tasks/${job.tasks[0].id}/sample_result`)).body.data.items).toEqual([['Cid', 'Ann'], ['Dee', 'Eve']])
    expect((await ex('GET', `/jobs/${id}/tasks/query_1/sample_result?limit=1`)).body.data.items).toEqual([['Cid', 'Ann']])
    const noTask = await ex('GET', `/jobs/${id}/tasks/${'0'.repeat(32)}/sample_result`)
    expect([noTask.status, noTask.body.code]).toEqual([404, 40404000])
    expect((await ex('GET', `/jobs/${id}/tasks/${job.tasks[1].id}/sample_result?limit=0`)).body.code).toBe(40004001)
  })

  it('samples algorithms on a graph by the vertices’ own ids (person.id), ROOT given by id too', async () => {
    //   social: person.id 1 → 2 → 3 → 1, 4 → 5 (vids 0..4)
    const made = await t.call('POST', '/api/v1/graph-workflows', {
      document: {
        name: 'by_key',
        components: [
          { id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'graph', graph: 'social' } },
          { id: 'PageRank_1', kind: 'algorithm', algorithm: 'PageRank', input: { kind: 'graph', graph: 'social' } },
          { id: 'SSSP_1', kind: 'algorithm', algorithm: 'SSSP', params: { ROOT: '1' }, input: { kind: 'graph', graph: 'social' } },
        ],
        wires: [],
      },
    })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    const id = await runJob(made.body.id, { SSSP_1: { ROOT: '4' } })
    const sample = async (task: string) => (await ex('GET', `/jobs/${id}/tasks/${task}/sample_result?limit=100`)).body.data.items
    expect(await sample('WCC_1')).toEqual([['1', '1'], ['2', '1'], ['3', '1'], ['4', '4'], ['5', '4']])
    const ranks = await sample('PageRank_1')
    expect(ranks.map((r: string[]) => r[0])).toEqual(['1', '2', '3', '4', '5'])
    for (const r of ranks) expect(r[1]).toMatch(/^0\.\d{6}$/)
    expect(await sample('SSSP_1')).toEqual([['4', '0.000000'], ['5', '1.000000']])
  })

  it('refuses bad starts in the envelope', async () => {
    const unknown = await ex('POST', '/workflows/1234567890/jobs', { body: {} })
    expect([unknown.status, unknown.body.code]).toEqual([404, 40404000])
    const badId = await ex('POST', '/workflows/abc/jobs', { body: {} })
    expect([badId.status, badId.body.code]).toEqual([400, 40004001])
    const badInput = await ex('POST', `/workflows/${workflowId}/jobs`, { body: { input: { query_1: { maxAge: 3 } } } })
    expect([badInput.status, badInput.body.code]).toEqual([400, 40004001])
    expect(badInput.body.message).toMatch(/query_1 has no parameter "maxAge"/)
    // a value of the wrong type is refused at the start, naming the field, not a job that fails later (#15)
    const jobsBefore = (await ex('GET', '/jobs?page=1&pageSize=1')).body.data.total
    for (const [value, type] of [['abc', 'int'], ['1 OR 1=1', 'int'], [true, 'int'], [1.5, 'int']] as const) {
      const wrongType = await ex('POST', `/workflows/${workflowId}/jobs`, { body: { input: { query_1: { minAge: value } } } })
      expect([wrongType.status, wrongType.body.code], JSON.stringify(value)).toEqual([400, 40004001])
      expect(wrongType.body.message).toBe(`ErrParam: input.query_1.minAge must be a ${type}, not ${JSON.stringify(value)}`)
    }
    const wrongAlgoParam = await ex('POST', `/workflows/${workflowId}/jobs`, { body: { input: { PageRank_1: { ITERATIONS: 'ten' } } } })
    expect([wrongAlgoParam.status, wrongAlgoParam.body.message]).toEqual([400, 'ErrParam: input.PageRank_1.ITERATIONS must be a int, not "ten"'])
    expect((await ex('GET', '/jobs?page=1&pageSize=1')).body.data.total).toBe(jobsBefore)
    // a number given as text fits an int parameter, as Explorer's examples send them
    const asText = await ex('POST', `/workflows/${workflowId}/jobs`, { body: { input: { query_1: { minAge: '30' } } } })
    expect(asText.body.code).toBe(0)
    const badJson = await fetch(`${t.url}/api-open/v1/workflows/${workflowId}/jobs`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `explorer_token=${cookie}` }, body: '{"input":' })
    expect(((await badJson.json()) as any).code).toBe(40004001)
    // no body at all runs with the defaults
    const bare = await fetch(`${t.url}/api-open/v1/workflows/${otherWorkflowId}/jobs`, { method: 'POST', headers: { cookie: `explorer_token=${cookie}` } })
    expect(((await bare.json()) as any).data.id).toEqual(expect.any(Number))
  })

  it('lists jobs with the filter, paging and Explorer’s casing', async () => {
    const before = Date.now()
    const a = await runJob(otherWorkflowId)
    const b = await runJob(otherWorkflowId)
    const all = await ex('GET', '/jobs?page=1&pageSize=100')
    expect(all.body.code).toBe(0)
    expect(Object.keys(all.body.data).sort()).toEqual(['Page', 'PageSize', 'items', 'total'])
    expect(all.body.data).toMatchObject({ Page: 1, PageSize: 100 })
    const items = all.body.data.items
    expect(items.length).toBe(all.body.data.total)
    expect(Object.keys(items[0]).sort()).toEqual(['createTime', 'id', 'name', 'runBeginTime', 'runEndTime', 'status', 'workflowId', 'workflowName'])
    expect(typeof items[0].id).toBe('number')
    expect(typeof items[0].workflowId).toBe('string')
    // newest first by default; asc on request
    expect(items[0].id).toBe(b)
    const asc = await ex('GET', `/jobs?filter=${encodeURIComponent(JSON.stringify({ orderByCreateTime: 'asc' }))}&pageSize=100`)
    expect(asc.body.data.items.map((x: any) => x.id)).toEqual([...items.map((x: any) => x.id)].reverse())
    // paging: page 2 of size 1 is the second newest; defaults are page 1, size 10
    const p2 = await ex('GET', '/jobs?page=2&pageSize=1')
    expect(p2.body.data).toMatchObject({ Page: 2, PageSize: 1, total: items.length, items: [{ id: items[1].id }] })
    expect((await ex('GET', '/jobs')).body.data).toMatchObject({ Page: 1, PageSize: 10 })
    // filters: created-at range, status, name (a part of it)
    const range = await ex('GET', `/jobs?filter=${encodeURIComponent(JSON.stringify({ fromCreateTime: before, toCreateTime: Date.now() }))}`)
    expect(range.body.data.items.map((x: any) => x.id).sort()).toEqual([a, b].sort())
    const ok = await ex('GET', `/jobs?filter=${encodeURIComponent(JSON.stringify({ status: 2 }))}&pageSize=100`)
    expect(ok.body.data.items.every((x: any) => x.status === 2)).toBe(true)
    expect((await ex('GET', `/jobs?filter=${encodeURIComponent(JSON.stringify({ status: 4 }))}`)).body.data.total).toBe(0)
    const named = await ex('GET', `/jobs?filter=${encodeURIComponent(JSON.stringify({ name: 'wcc_on' }))}&pageSize=100`)
    expect(named.body.data.items.length).toBeGreaterThanOrEqual(2)
    expect(named.body.data.items.every((x: any) => x.workflowName === 'wcc_only')).toBe(true)
    // one workflow's jobs
    const mine = await ex('GET', `/workflows/${workflowId}/jobs?pageSize=100`)
    expect(mine.body.data.items.length).toBeGreaterThan(0)
    expect(mine.body.data.items.every((x: any) => x.workflowId === String(workflowId))).toBe(true)
    expect((await ex('GET', '/workflows/1234567890/jobs')).body.code).toBe(40404000)
    // bad parameters name themselves
    for (const q of ['filter=%7Bnope', `filter=${encodeURIComponent('{"status":9}')}`, `filter=${encodeURIComponent('{"orderByCreateTime":"up"}')}`, 'page=0', 'pageSize=100000', 'page=x']) {
      const res = await ex('GET', `/jobs?${q}`)
      expect([res.status, res.body.code], q).toEqual([400, 40004001])
    }
  })

  it('cancels a running job: Stopping (5), then Interrupted (4)', async () => {
    // Louvain (graphology) does not look at the stop flag: its task runs on for up to 400 ms after
    // the cancel, which is when Explorer's Stopping shows
    const lines: string[] = []
    const n = 20_000
    for (let i = 0; i < n; i++) lines.push(`${i},${(i + 1) % n}`, `${i},${(i * 7 + 3) % n}`, `${i},${(i * 13 + 5) % n}`)
    upload(t.dir, 'ring.csv', lines.join('\n'))
    const wf = await t.call('POST', '/api/v1/graph-workflows', { document: { name: 'long', components: [{ id: 'Louvain_1', kind: 'algorithm', algorithm: 'Louvain', input: { kind: 'file', path: 'ring.csv' } }], wires: [] } })
    const started = await ex('POST', `/workflows/${wf.body.id}/jobs`, { body: {} })
    const id = started.body.data.id
    for (let i = 0; ; i++) {
      const log = (await t.call('GET', `/api/v1/jobs/${id}/logs`)).body.lines.map((l: any) => l.text).join('\n')
      if (/snapshot of/.test(log)) break
      expect(i, 'Louvain should be under way').toBeLessThan(2000)
      await new Promise((r) => setTimeout(r, 20))
    }
    const cancel = await fetch(`${t.url}/api-open/v1/jobs/${id}/cancel`, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `explorer_token=${cookie}` } })
    expect(await cancel.json()).toEqual({ code: 0, message: 'Success', data: { success: true } })
    const seen: number[] = []
    for (let i = 0; i < 400; i++) {
      const s = (await ex('GET', `/jobs/${id}`)).body.data.status
      if (seen[seen.length - 1] !== s) seen.push(s)
      if (s === 4) break
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(seen).toEqual([5, 4])
    const again = await fetch(`${t.url}/api-open/v1/jobs/${id}/cancel`, { method: 'PUT', headers: { cookie: `explorer_token=${cookie}` } })
    expect([again.status, ((await again.json()) as any).code]).toEqual([400, 40004000])
  }, 120_000)

  it('keeps another user’s jobs and workflows from them', async () => {
    const id = await runJob(otherWorkflowId)
    const eve = await addUser(t, 'ex-eve')
    const eveCookie = tokenOf((await connect(`Bearer ${b64(`ex-eve:${eve.password}`)}`)).setCookie)
    const as = { cookie: eveCookie }
    // as unknown ids (#9 §3): the same answer, so eve cannot tell which ids exist
    const job = await ex('GET', `/jobs/${id}`, as)
    const unknownJob = await ex('GET', '/jobs/987654', as)
    expect([job.status, job.body]).toEqual([404, { ...unknownJob.body, message: unknownJob.body.message.replace('987654', String(id)) }])
    expect(job.body.code).toBe(40404000)
    expect((await ex('PUT', `/jobs/${id}/cancel`, as)).body.code).toBe(40404000)
    expect((await ex('GET', `/jobs/${id}/tasks/WCC_1/sample_result`, as)).body.code).toBe(40404000)
    expect((await ex('POST', `/workflows/${otherWorkflowId}/jobs`, { ...as, body: {} })).body.code).toBe(40404000)
    expect((await ex('GET', `/workflows/${otherWorkflowId}/jobs`, as)).body.code).toBe(40404000)
    expect((await ex('GET', '/jobs', as)).body.data).toEqual({ items: [], total: 0, Page: 1, PageSize: 10 })
    // other kinds of job are not Explorer jobs
    const script = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })
    expect((await ex('GET', `/jobs/${script.body.id}`)).body.code).toBe(40404000)
  })
})
