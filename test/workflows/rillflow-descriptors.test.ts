// Descriptor versions and aliases as Rill Flow's DAGDescriptorController serves them.
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const V1 = 'workspace: shop\ndagName: order\ntype: flow\ntasks:\n  - {category: pass, name: a, outputMappings: [{source: one, target: $.context.v}]}\n'
const V2 = V1.replace('source: one', 'source: two')
const M = '/flow/bg/manage/descriptor'

describe('descriptors: versions by md5, aliases', () => {
  it('stores each text once, points release at the newest, and serves every id form', async () => {
    const id1 = await rill.addDescriptor(V1, '?business_id=shop&feature_name=order&alias=release')
    const again = await rill.addDescriptor(V1)
    expect(again).toBe(id1) // same text, same md5
    const id2 = await rill.addDescriptor(V2)
    expect(id2).not.toBe(id1)
    expect((await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=${id1}`)).body).toEqual({ descriptor_id: id1, uid: '0', descriptor: V1 })
    expect((await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order`)).body.descriptor).toBe(V2)
    expect((await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order:release`)).body.descriptor).toBe(V2)
    const run = await rill.finished(await rill.submit(id1))
    expect(run.context.v).toBe('one') // an exact version runs that version
  })

  it('moves and lists aliases; a run by alias uses the version it points at', async () => {
    expect((await rill.call('POST', `${M}/modify_alias.json?add=true&business_id=shop&feature_name=order&alias=canary`)).body).toEqual({ ret: true })
    expect((await rill.call('GET', `${M}/get_alias.json?business_id=shop&feature_name=order`)).body).toEqual({ business_id: 'shop', feature: 'order', aliases: ['canary', 'release'] })
    const versions = (await rill.call('GET', `${M}/get_version.json?business_id=shop&feature_name=order&alias=canary`)).body
    expect(versions).toMatchObject({ business_id: 'shop', feature: 'order', alias: 'canary', versions: [{ descriptor_id: expect.stringMatching(/^shop:order:md5_/) }] })
    expect((await rill.finished(await rill.submit('shop:order:canary'))).context.v).toBe('two')
    expect((await rill.call('POST', `${M}/modify_alias.json?add=false&business_id=shop&feature_name=order&alias=canary`)).body).toEqual({ ret: true })
    expect((await rill.call('POST', '/flow/submit.json?descriptor_id=shop:order:canary', {})).body).toEqual({ error_code: 30106, error: 'alias canary value empty: workflow shop:order has no alias canary' })
  })

  it('gray rules pick the alias that ws:dag runs (modify_gray / get_gray)', async () => {
    await rill.call('POST', `${M}/modify_alias.json?add=true&business_id=shop&feature_name=order&alias=canary`) // → the current version
    await rill.addDescriptor(V2.replace('source: two', 'source: three')) // release moves on; canary stays
    const release = (await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order:release`)).body.descriptor
    expect((await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order`)).body.descriptor).toBe(release)
    const rule = encodeURIComponent('rand(100) < 100') // always true: everyone is in the canary
    expect((await rill.call('POST', `${M}/modify_gray.json?add=true&business_id=shop&feature_name=order&alias=canary&gray_rule=${rule}`)).body).toEqual({ ret: true })
    expect((await rill.call('GET', `${M}/get_gray.json?business_id=shop&feature_name=order`)).body).toEqual({
      business_id: 'shop',
      feature: 'order',
      gray: { canary: 'rand(100) < 100' },
    })
    const canary = (await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order:canary`)).body.descriptor
    expect(canary).not.toBe(release)
    expect((await rill.call('GET', `${M}/get_descriptor.json?descriptor_id=shop:order`)).body.descriptor).toBe(canary)
    const broken = await rill.call('POST', `${M}/modify_gray.json?add=true&business_id=shop&feature_name=order&alias=canary&gray_rule=${encodeURIComponent('rand(100) <')}`)
    expect(broken.body.error).toMatch(/not a valid expression/)
    expect((await rill.call('POST', `${M}/modify_gray.json?add=true&business_id=shop&feature_name=order&alias=canary`)).body.error).toBe('gray_rule can not be empty when add gray')
    await rill.call('POST', `${M}/modify_gray.json?add=false&business_id=shop&feature_name=order&alias=canary`)
    expect((await rill.call('GET', `${M}/get_gray.json?business_id=shop&feature_name=order`)).body.gray).toEqual({})
    await rill.call('POST', `${M}/modify_alias.json?add=false&business_id=shop&feature_name=order&alias=canary`)
  })

  it('refuses an alias over 100 characters from every door, naming the alias field, and stores nothing (#13 trial: a 300-character one was kept)', async () => {
    const long = 'a'.repeat(101)
    const added = await rill.call('POST', `${M}/add_descriptor.json?business_id=shop&feature_name=order&alias=${long}`, V1.replace('one', 'refused'), 'text/plain')
    expect(added.status).toBe(400)
    expect(added.body).toMatchObject({ error_code: 30109, error: expect.stringMatching(/^an alias is at most 100 characters/) })
    expect((await rill.call('POST', `${M}/modify_alias.json?add=true&business_id=shop&feature_name=order&alias=${long}`)).body.error_code).toBe(30109)
    const saved = await t.call('POST', '/api/v1/workflows', { text: V1.replace('one', 'refused'), alias: long })
    expect(saved.status).toBe(400)
    expect(saved.body.error).toMatchObject({ code: 'bad_alias', field: 'alias' })
    expect(Object.keys((await rill.call('GET', `${M}/get_alias.json?business_id=shop&feature_name=order`)).body.aliases)).not.toContain(long)
    const versions = await t.call('GET', '/api/v1/workflows')
    expect(JSON.stringify(versions.body)).not.toContain(long)
    expect((await t.call('POST', '/api/v1/workflows', { text: V1, alias: 'a'.repeat(100) })).status).toBe(201) // at the limit
  })

  it('lists businesses and features', async () => {
    expect((await rill.call('GET', `${M}/get_business.json`)).body).toEqual({ business_ids: ['shop'] })
    expect((await rill.call('GET', `${M}/get_feature.json?business_id=shop`)).body).toEqual({ business_id: 'shop', features: ['order'] })
    expect((await rill.call('GET', `${M}/get_feature.json`)).status).toBe(422)
  })

  it('dry-runs mappings with mapping_evaluation.json, transforms included', async () => {
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', {
      context: { a: 2 },
      mappings: [
        { source: '$.context.a', target: '$.input.x', transform: 'return 10 * source;' },
        { source: '$.context.missing', target: '$.input.y' },
      ],
    })
    expect(r.body).toEqual({ context: { a: 2 }, input: { x: 20 }, output: {} })
  })

  it('the Rill Flow runs show on the Jobs page and in the native API as workflow jobs', async () => {
    const jobs = await t.call('GET', '/api/v1/jobs?type=workflow')
    expect(jobs.body.total).toBeGreaterThanOrEqual(2)
    expect(jobs.body.items[0]).toMatchObject({ kind: 'workflow', name: 'shop:order', status: 'succeeded' })
    expect(jobs.body.items[0].labels.executionId).toMatch(/^shop:order_c_/)
  })
})
