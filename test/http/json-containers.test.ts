// JSON bodies are bounded by lists and maps as well as by bytes (atk29: 4 MB of `[],` is 1.3 million
// lists, and parsing and copying them held the main thread 1.7-2.8 s). The count is taken by a scan of
// the text before it is parsed, so a body over it is refused at the cost of the scan, in each dialect's
// envelope, naming the limit; a body of real data at the limit's scale passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkJsonShape, MAX_JSON_CONTAINERS, MAX_JSON_KEYS, WIDE_MAP_KEYS } from '../../shared/json-limits'
import { AppError } from '../../shared/errors'
import { startTestApp, type TestApp } from '../support/app'
import { threadCpuMs } from '../support/cpu-time'
import { mapOfKeys } from '../support/large-bodies'
import { ADMIN } from '../graph/support'
import { tugraphClient } from '../tugraph/support'

/** A JSON list holding `n - 1` empty lists: `n` lists in all. */
const lists = (n: number) => `[${Array.from({ length: n - 1 }, () => '[]').join(',')}]`

function refusal(text: string): AppError | undefined {
  try {
    checkJsonShape(text)
  } catch (e) {
    return e as AppError
  }
  return undefined
}

describe('checkJsonShape counts lists and maps', () => {
  it('takes exactly MAX_JSON_CONTAINERS, refuses one more as too_large naming the limit', () => {
    expect(refusal(lists(MAX_JSON_CONTAINERS))).toBeUndefined()
    const e = refusal(lists(MAX_JSON_CONTAINERS + 1))
    expect(e).toBeInstanceOf(AppError)
    expect(e).toMatchObject({ kind: 'too_large', code: 'too_many_containers', field: 'body' })
    expect(e?.message).toContain('more than 320,000 lists and maps')
  })

  it('counts maps as lists, and no bracket inside a string, escaped quotes included', () => {
    const maps = `[${Array.from({ length: MAX_JSON_CONTAINERS }, () => '{}').join(',')}]`
    expect(refusal(maps)?.code).toBe('too_many_containers')
    const quoted = JSON.stringify({ s: '[{'.repeat(MAX_JSON_CONTAINERS), t: '"\\"[[' })
    expect(refusal(quoted)).toBeUndefined()
  })

  it('scans a 4 MB body in one pass of tens of milliseconds', () => {
    const body = `{"a":${lists(1_300_000)}}` // atk29's body, 3.9 MB
    const started = threadCpuMs()
    expect(refusal(body)?.code).toBe('too_many_containers')
    const spent = threadCpuMs() - started
    const real = JSON.stringify({ items: Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a'] })) }) // 4.6 MB of data, 200,002 lists and maps
    const again = threadCpuMs()
    expect(refusal(real)).toBeUndefined()
    const spentReal = threadCpuMs() - again
    console.log(`scan: 1.3M lists ${spent.toFixed(1)} ms CPU (stops at the limit), 200k containers of data (${(real.length / 1e6).toFixed(1)} MB) ${spentReal.toFixed(1)} ms CPU`)
    expect(spent).toBeLessThan(250)
    expect(spentReal).toBeLessThan(250)
  })
})

describe('checkJsonShape counts keys where they cost: distinct names, and the keys of wide maps', () => {
  it('takes one map of MAX_JSON_KEYS keys, refuses one more as too_large too_many_keys naming the field', () => {
    expect(refusal(mapOfKeys(MAX_JSON_KEYS))).toBeUndefined()
    const e = refusal(mapOfKeys(MAX_JSON_KEYS + 1))
    expect(e).toMatchObject({ kind: 'too_large', code: 'too_many_keys', field: 'body' })
    expect(e?.message).toBe('body holds more than 200,000 keys in JSON objects of over 1,000 keys each, the most one JSON text may hold')
  })

  it('adds up wide maps of the same keys, and made-up key names in narrow maps', () => {
    const half = Math.floor(MAX_JSON_KEYS / 2)
    expect(refusal(`[${mapOfKeys(half)},${mapOfKeys(half)}]`)).toBeUndefined()
    expect(refusal(`[${mapOfKeys(half)},${mapOfKeys(half)},${mapOfKeys(2)}]`)).toBeUndefined() // a narrow map adds no wide keys
    expect(refusal(`[${mapOfKeys(half)},${mapOfKeys(half + 1)}]`)?.code).toBe('too_many_keys')
    const narrow = (maps: number) => `[${Array.from({ length: maps }, (_, m) => mapOfKeys(20, m * 20)).join(',')}]` // maps of 20 keys, every name new
    expect(refusal(narrow(MAX_JSON_KEYS / 20))).toBeUndefined()
    const e = refusal(narrow(MAX_JSON_KEYS / 20 + 1))
    expect(e).toMatchObject({ code: 'too_many_keys' })
    expect(e?.message).toContain('more than 200,000 different keys')
    expect(refusal(`[${Array.from({ length: 400 }, () => mapOfKeys(WIDE_MAP_KEYS)).join(',')}]`)).toBeUndefined() // 400,000 keys, maps not wide, names repeated
  })

  it('counts neither list elements nor repeated keys: 4 MB of records or numbers pass, keys inside strings are text', () => {
    const records = JSON.stringify({ items: Array.from({ length: 100_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a'] })) }) // 300,001 keys
    expect(refusal(records)).toBeUndefined()
    expect(refusal(`[${Array.from({ length: 1_000_000 }, (_, i) => i % 1000).join(',')}]`)).toBeUndefined()
    expect(refusal(JSON.stringify({ s: mapOfKeys(MAX_JSON_KEYS + 1), t: '"a":"b":' }))).toBeUndefined()
  })
})

describe('a body of too many lists is refused before it is parsed, in each dialect', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(() => t.close())
  const body = `{"context":${lists(MAX_JSON_CONTAINERS + 1)}}`
  const json = { 'content-type': 'application/json' }

  it('native: 413 too_many_containers naming the field', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: '/api/v1/workflows/submit', headers: { ...json, authorization: `Bearer ${t.token}` }, payload: body })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toMatchObject({ kind: 'too_large', code: 'too_many_containers', field: 'body' })
  })

  it('Linkis: its envelope, naming the limit', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: '/api/rest_j/v1/entrance/submit', headers: { ...json, authorization: `Bearer ${t.token}` }, payload: body })
    expect(res.statusCode).toBe(413)
    expect(res.json().message).toContain('more than 320,000 lists and maps')
  })

  it('Rill Flow submit: its envelope, naming the limit; a context of 300,000 small maps still starts', async () => {
    const yaml = 'workspace: shape\ndagName: one\ntype: flow\ntasks:\n  - {category: pass, name: P}\n'
    expect((await t.app.server.inject({ method: 'POST', url: '/flow/bg/manage/descriptor/add_descriptor.json', headers: { 'content-type': 'text/plain' }, payload: yaml })).statusCode).toBe(200)
    const res = await t.app.server.inject({ method: 'POST', url: '/flow/submit.json?descriptor_id=shape:one', headers: json, payload: body })
    expect(res.statusCode).toBe(413)
    expect(Object.keys(res.json()).sort()).toEqual(['error', 'error_code'])
    expect(res.json().error).toContain('body holds more than 320,000 lists and maps')
    const real = JSON.stringify({ o: Array.from({ length: 300_000 }, (_, i) => ({ a: i % 10 })) })
    const ok = await t.app.server.inject({ method: 'POST', url: '/flow/submit.json?descriptor_id=shape:one', headers: json, payload: real })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().execution_id).toEqual(expect.any(String))
  })

  it('Rill Flow submit: a context of one map of 200,001 keys is refused naming the limit; 200,000 start', async () => {
    const res = await t.app.server.inject({ method: 'POST', url: '/flow/submit.json?descriptor_id=shape:one', headers: json, payload: `{"big":${mapOfKeys(MAX_JSON_KEYS + 1)}}` })
    expect(res.statusCode).toBe(413)
    expect(res.json().error).toMatch(/^body holds more than 200,000 (different keys|keys in JSON objects of over 1,000 keys each)/) // its key names pass the limit with its width
    const ok = await t.app.server.inject({ method: 'POST', url: '/flow/submit.json?descriptor_id=shape:one', headers: json, payload: `{"big":${mapOfKeys(MAX_JSON_KEYS - 1)}}` })
    expect(ok.statusCode).toBe(200)
  })

  it('TuGraph: its envelope (errorCode 400), naming the limit', async () => {
    const c = tugraphClient(t.url)
    await c.login()
    const res = await c.post('cypher', body)
    expect(res.body).toMatchObject({ errorCode: '400', errorMessage: expect.stringContaining('more than 320,000 lists and maps') })
  })

  it('GES: its envelope, naming the limit', async () => {
    await t.app.graph.createGraph('g1', ADMIN)
    const iam = await fetch(`${t.url}/v3/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: '73@TuGraph' } } } } }),
    })
    const res = await fetch(`${t.url}/v2/p1/graphs/g1/import-graph`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-Auth-Token': iam.headers.get('x-subject-token')! }, body })
    expect(res.status).toBe(400) // GES's jsonBody answers every refused body as a bad request
    expect(await res.text()).toContain('more than 320,000 lists and maps')
  })
})
