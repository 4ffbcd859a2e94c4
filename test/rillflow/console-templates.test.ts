// The flow-graph editor's node palette and the console's templates page (#10): JobDesk's task kinds
// are the prototypes (TaskTemplateController's get_template_prototypes, get_task_templates,
// get_meta_data_list), and the editor can place each one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { consoleLogin, type ConsoleClient } from './support'

let t: TestApp
let ui: ConsoleClient
beforeAll(async () => {
  t = await startTestApp()
  ui = await consoleLogin(t, 'admin', '73@TuGraph')
})
afterAll(() => t.close())

const KINDS = ['function', 'pass', 'return', 'switch', 'foreach', 'suspense']

describe('get_template_prototypes.json: the node palette', () => {
  it('answers one meta-data prototype per task kind, keyed by category, with a field form the editor renders', async () => {
    // the micro app's own request: no header, the session cookie (and `enable=1` in its URL)
    const r = await ui.micro('GET', '/flow/template/get_template_prototypes.json?enable=1')
    expect(r.status).toBe(200)
    const data = r.body.data as any[]
    expect(data.map((p) => p.id)).toEqual(KINDS)
    for (const p of data) {
      expect(p).toEqual({ id: p.meta_data.category, node_category: 0, icon: expect.stringMatching(/^ant-design:/), meta_data: { category: p.id, icon: p.icon, fields: expect.any(Object) } })
      expect(p.meta_data.fields.name).toMatchObject({ type: 'string', required: true }) // every task has a name
      for (const [field, form] of Object.entries(p.meta_data.fields as Record<string, any>)) {
        expect({ field, type: typeof form.type }).toEqual({ field, type: 'string' })
      }
    }
    const fn = data.find((p) => p.id === 'function').meta_data.fields
    expect(fn.resourceName).toMatchObject({ required: true })
    expect(fn.pattern.oneOf.map((o: any) => o.const)).toEqual(['task_sync', 'task_async', 'task_scheduler', 'flow_sync', 'flow_async'])
    expect(data.find((p) => p.id === 'foreach').meta_data.fields.iterationMapping.properties.collection.required).toBe(true)
  })

  it('applies the filters and pages; template nodes are none (JobDesk stores no task templates)', async () => {
    const ids = async (q: string) => (await ui.call('GET', `/flow/template/get_template_prototypes.json?${q}`)).body.data.map((p: any) => p.id)
    expect(await ids('node_type=template')).toEqual([])
    expect(await ids('node_type=meta&type=0')).toEqual(['function'])
    expect(await ids('type=2')).toEqual(['pass', 'return', 'switch', 'foreach', 'suspense'])
    expect(await ids('type=1')).toEqual([])
    expect(await ids('enable=0')).toEqual([])
    expect(await ids('id=7')).toEqual([])
    expect(await ids('name=su')).toEqual(['suspense'])
    expect(await ids('category=switch')).toEqual(['switch'])
    expect(await ids('page=2&page_size=4')).toEqual(['foreach', 'suspense'])
    expect(await ids('page=1&pageSize=2')).toEqual(['function', 'pass'])
  })

  it('refuses parameters of the wrong type in Rill Flow’s error body, naming them', async () => {
    for (const [q, name] of [
      ['page=first', 'page'],
      ['page_size=0', 'page_size'],
      ['type=function', 'type'],
      ['enable=yes', 'enable'],
      ['id=abc', 'id'],
      ['node_type=plugin', 'node_type'],
    ]) {
      const r = await ui.call('GET', `/flow/template/get_template_prototypes.json?${q}`)
      expect({ q, status: r.status }).toEqual({ q, status: 422 })
      expect(r.body).toMatchObject({ error_code: 30109, error: expect.stringContaining(name) })
    }
  })
})

describe('get_task_templates.json and get_meta_data_list.json', () => {
  it('lists the task kinds on the templates page with the columns it shows', async () => {
    const r = await ui.call('GET', '/flow/template/get_task_templates.json?page=1&pageSize=20&enable=1')
    expect(r.status).toBe(200)
    expect(r.body.data.map((x: any) => x.name)).toEqual(KINDS)
    expect(r.body.data[0]).toEqual({
      id: null,
      name: 'function',
      type: 0,
      type_str: expect.any(String),
      node_type: 'meta',
      category: 'function',
      icon: 'ant-design:api-outlined',
      task_yaml: '',
      meta_data: { category: 'function', icon: 'ant-design:api-outlined', fields: expect.any(Object) },
      schema: '{}',
      output: '{}',
      enable: 1,
      create_time: null,
      update_time: null,
    })
  })

  it('answers the meta data of every kind', async () => {
    const r = await ui.micro('GET', '/flow/template/get_meta_data_list.json')
    expect(r.body.data.map((m: any) => m.category)).toEqual(KINDS)
    expect(r.body.data[1]).toEqual({ category: 'pass', icon: expect.any(String), fields: expect.objectContaining({ outputMappings: expect.any(Object) }) })
  })

  it('refuses to create or change templates, saying why, in the error body', async () => {
    for (const action of ['create_task_template', 'update_task_template', 'enable_task_template', 'disable_task_template']) {
      const r = await ui.call('POST', `/flow/template/${action}.json?id=1`, { name: 'x', type: 0, category: 'function' })
      expect({ action, status: r.status }).toEqual({ action, status: 400 })
      expect(r.body).toEqual({ error_code: expect.any(Number), error: expect.stringContaining('no task templates') })
    }
  })
})
