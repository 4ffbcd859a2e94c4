// The definitions page and the graph editor of rill-flow-ui (#10): get_descriptor_ids (paged),
// get_business_options, get_descriptor as JSON with tasks keyed by name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { consoleLogin, type ConsoleClient } from './support'

let t: TestApp
let ui: ConsoleClient
const M = '/flow/bg/manage/descriptor'

const GREET = `version: 1.0.0
workspace: shop
dagName: greet
alias: release
type: flow
inputSchema: '[{"required":true,"name":"Bob","type":"String"}]'
tasks:
  - category: function
    name: Bob
    resourceName: http://127.0.0.1:9/greet.json
    pattern: task_sync
    input: {Bob: $.context.Bob}
    next: Alice
  - category: pass
    name: Alice
`

beforeAll(async () => {
  t = await startTestApp()
  ui = await consoleLogin(t, 'admin', '73@TuGraph')
  const add = (yaml: string, q: string) => ui.call('POST', `${M}/add_descriptor.json?${q}`, yaml)
  for (const [ws, dag] of [
    ['shop', 'order'],
    ['shop', 'refund'],
    ['ops', 'backup'],
  ]) {
    const r = await add(`workspace: ${ws}\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: a}\n`, `business_id=${ws}&feature_name=${dag}&alias=release`)
    expect(r.status).toBe(200)
    await new Promise((r) => setTimeout(r, 5)) // distinct times: the list is newest first
  }
  // a second version of shop:order under another alias
  await add('workspace: shop\ndagName: order\ntype: flow\ntasks:\n  - {category: pass, name: b}\n', 'business_id=shop&feature_name=order&alias=canary')
  await new Promise((r) => setTimeout(r, 5))
  expect((await ui.call('POST', `${M}/add_descriptor.json?business_id=shop&feature_name=greet&alias=release`, GREET)).status).toBe(200)
})
afterAll(() => t.close())

describe('get_descriptor_ids.json: the definitions list', () => {
  it('lists every alias with the fields the table reads, newest first, paged with total', async () => {
    const all = await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=1&pageSize=10')
    expect(all.status).toBe(200)
    expect(all.body.total).toBe(5)
    expect(all.body.items.map((i: any) => `${i.business_id}:${i.feature_id}:${i.alias}`)).toEqual([
      'shop:greet:release',
      'shop:order:canary',
      'ops:backup:release',
      'shop:refund:release',
      'shop:order:release',
    ])
    const canary = all.body.items[1]
    expect(canary).toEqual({
      business_id: 'shop',
      feature_id: 'order',
      alias: 'canary',
      descriptor_id: expect.stringMatching(/^shop:order:md5_[0-9a-f]{32}$/),
      create_time: expect.any(Number),
      update_time: expect.any(Number),
    })
    const release = all.body.items[4]
    expect(release.descriptor_id).not.toBe(canary.descriptor_id) // each alias names its own version
    expect(canary.create_time).toBe(release.create_time) // the descriptor's first version
    expect(canary.update_time).toBeGreaterThan(release.update_time)

    const second = await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=2&pageSize=2')
    expect(second.body.total).toBe(5)
    expect(second.body.items.map((i: any) => i.alias + '@' + i.feature_id)).toEqual(['release@backup', 'release@refund'])
    expect((await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=9&pageSize=2')).body).toEqual({ items: [], total: 5 })
  })

  it('takes the search form’s business and feature; blank fields filter nothing', async () => {
    const shop = await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=1&pageSize=10&business=shop')
    expect(shop.body.total).toBe(4)
    const order = await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&page=1&pageSize=10&business=shop&feature=order')
    expect(order.body.items.map((i: any) => i.alias)).toEqual(['canary', 'release'])
    expect((await ui.call('GET', '/flow/bg/get_descriptor_ids.json?current=1&business=&feature=')).body.total).toBe(5)
  })

  it('refuses paging parameters that are not integers in range, naming them', async () => {
    for (const [query, name] of [
      ['page=abc', 'page'],
      ['page=0', 'page'],
      ['page=1.5', 'page'],
      ['pageSize=-1', 'pageSize'],
      ['pageSize=501', 'pageSize'],
      ['pageSize=1e3', 'pageSize'],
      ['current=x', 'current'],
    ]) {
      const r = await ui.call('GET', `/flow/bg/get_descriptor_ids.json?${query}`)
      expect({ query, status: r.status }).toEqual({ query, status: 422 })
      expect(r.body).toEqual({ error_code: 30109, error: expect.stringContaining(`"${name}"`), pass_through: true })
    }
  })
})

describe('get_business_options.json', () => {
  it('answers the business ids as {id, name} options', async () => {
    expect((await ui.call('GET', '/flow/bg/get_business_options.json')).body).toEqual({
      business_ids: [
        { id: 'ops', name: 'ops' },
        { id: 'shop', name: 'shop' },
      ],
    })
  })
})

describe('get_descriptor.json: a descriptor for the graph editor', () => {
  it('answers {data, message, success} with the DAG as written and tasks as {name: {task, next}}', async () => {
    const r = await ui.call('GET', '/flow/bg/get_descriptor.json?id=shop:greet')
    expect(r.status).toBe(200)
    expect(r.body.success).toBe(true)
    expect(r.body.message).toBe('')
    const d = r.body.data
    expect(d).toMatchObject({ version: '1.0.0', workspace: 'shop', dagName: 'greet', type: 'flow', alias: 'release' })
    expect(JSON.parse(d.inputSchema)).toEqual([{ required: true, name: 'Bob', type: 'String' }]) // the editor JSON.parses it
    expect(Object.keys(d.tasks)).toEqual(['Bob', 'Alice'])
    expect(d.tasks.Bob.next).toEqual(['Alice'])
    expect(d.tasks.Alice.next).toEqual([])
    expect(d.tasks.Bob.task).toMatchObject({ name: 'Bob', category: 'function', pattern: 'task_sync', resourceName: 'http://127.0.0.1:9/greet.json', resourceProtocol: 'http' })
    expect(d.tasks.Bob.task.input).toEqual({ Bob: '$.context.Bob' }) // as written, not the stored rewrite
    expect(d.tasks.Alice.task).not.toHaveProperty('resourceProtocol')
    // every id form the manage API takes
    const id = (await ui.call('GET', '/flow/bg/get_descriptor_ids.json?business=shop&feature=greet')).body.items[0].descriptor_id
    expect((await ui.call('GET', `/flow/bg/get_descriptor.json?id=${id}`)).body.data.dagName).toBe('greet')
    expect((await ui.call('GET', '/flow/bg/get_descriptor.json?id=shop:greet:release')).body.data.dagName).toBe('greet')
  })

  it('answers a missing, malformed or unknown id in Rill Flow’s error body', async () => {
    expect(await ui.call('GET', '/flow/bg/get_descriptor.json')).toMatchObject({ status: 422, body: { error_code: 30109, error: expect.stringContaining("'id'") } })
    expect(await ui.call('GET', '/flow/bg/get_descriptor.json?id=nocolon')).toMatchObject({ status: 400, body: { error_code: 30109 } })
    expect(await ui.call('GET', '/flow/bg/get_descriptor.json?id=shop:nothere')).toMatchObject({ status: 400, body: { error_code: 30106 } })
    expect(await ui.call('GET', `/flow/bg/get_descriptor.json?id=shop:greet:md5_${'0'.repeat(32)}`)).toMatchObject({ status: 400, body: { error_code: 30106 } })
  })
})
