// Every Linkis query and body parameter is checked at the boundary: a bad value gets the Message
// envelope with a 4xx naming the parameter, never all rows, a 500 or a hang (#9 §6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
let execID: string
let taskID: number
let file: string
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
  await linkis.login()
  const sub = await linkis.submit('with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000) select i from n', 'sql')
  ;({ execID, taskID } = sub.body.data)
  expect(await linkis.waitDone(execID)).toBe('Succeed')
  file = encodeURIComponent(`file:///jobdesk/admin/result/${taskID}/_0.dolphin`)
})
afterAll(() => t.close())

const get = (path: string) => linkis.call('GET', path)

describe('query parameters', () => {
  it('openFile?pageSize=-1 is refused instead of returning all rows; over 5000 is 80034', async () => {
    const r = await get(`/filesystem/openFile?path=${file}&pageSize=-1`)
    expect(r.status).toBe(412)
    expect(r.body).toMatchObject({ method: '/api/filesystem/openFile', status: 2, data: {} })
    expect(r.body.message).toContain('pageSize must be an integer from 1')
    expect((await get(`/filesystem/openFile?path=${file}&pageSize=6000`)).body.message).toMatch(/^errCode: 80034/)
    expect((await get(`/filesystem/openFile?path=${file}&pageSize=5000&page=2`)).body.data.fileContent).toHaveLength(1000)
  })

  it.each([
    ['/jobhistory/list?pageNow=1e20', 'pageNow'],
    ['/jobhistory/list?pageNow=0', 'pageNow'],
    ['/jobhistory/list?pageSize=501', 'pageSize'],
    ['/jobhistory/list?pageNow=1&pageNow=2', '"pageNow" is given more than once'],
    ['/jobhistory/list?status=Running,Bogus', 'status holds "Bogus"'],
    ['/jobhistory/list?startDate=yesterday', 'startDate'],
    ['/jobhistory/list?endDate=-5', 'endDate'],
    ['/jobhistory/list?taskID=0x10', 'taskID'],
    ['/jobhistory/list?isAdminView=maybe', 'isAdminView'],
    ['/jobhistory/listundone?startTaskID=1.5', 'startTaskID'],
    ['/jobhistory/1e20/get', 'taskID'],
    ['/jobhistory/99999999999999999999/get', 'taskID'],
    ['/jobhistory/1/get?brief=sometimes', 'brief'],
    ['/entrance/99999999999999999999/status', 'id'],
    ['/entrance/exec_id_garbage/status', 'id'],
    ['/entrance/1/status?taskID=abc', 'taskID'],
    ['/entrance/1/log?fromLine=1e20', 'fromLine'],
    ['/entrance/1/log?size=lots', 'size'],
    ['/entrance/1/log?distinctLevel=nah', 'distinctLevel'],
    ['/filesystem/openFile?path=PATH&page=1e20', 'page'],
    ['/filesystem/openFile?path=PATH&page=0', 'page'],
    ['/filesystem/openFile?path=PATH&enableLimit=true&columnPageSize=501', 'columnPageSize'],
    ['/filesystem/openFile?path=PATH&path=PATH', '"path" is given more than once'],
    ['/filesystem/openLog?path=PATH&logLevel=debug', 'logLevel holds "debug"'],
  ])('%s → names %s', async (path, field) => {
    const r = await get(path.replace(/PATH/g, file))
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.status).toBeLessThan(500)
    expect(r.body).toMatchObject({ status: expect.any(Number), data: {} })
    expect(r.body.status).not.toBe(0)
    expect(r.body.message).toContain(field)
  })

  it('Linkis log rules still hold: a negative fromLine is 0, a negative size is 10000', async () => {
    const r = await get(`/entrance/${execID}/log?fromLine=-7&size=-1`)
    expect(r.body.status).toBe(0)
    expect(r.body.data.fromLine).toBeGreaterThan(1)
  })
})

describe('body fields', () => {
  const submit = (body: unknown) => linkis.call('POST', '/entrance/submit', body)
  const ok = { executionContent: { code: 'echo hi', runType: 'sh' }, labels: { engineType: 'shell-1' } }
  it.each([
    [[1, 2], 'body must be a JSON object'],
    [{ ...ok, labels: ['shell-1'] }, 'labels must be an object'],
    [{ ...ok, labels: { engineType: { v: 1 } } }, 'labels.engineType must be a string'],
    [{ ...ok, executionContent: { code: 5, runType: 'sh' } }, 'executionContent.code must be a string'],
    [{ ...ok, params: { variable: { x: { y: 1 } } } }, 'params.variable.x must be a string or a number'],
    [{ ...ok, params: { variable: [] } }, 'params.variable must be an object'],
    [{ ...ok, labels: { engineType: 'shell-1', jobRunningTimeout: 'soon' } }, 'labels.jobRunningTimeout must be a number'],
    [{ ...ok, labels: { engineType: 'shell-1', jobRetryCount: '1e9' } }, 'labels.jobRetryCount must be an integer from 0 to 10'],
    [{ ...ok, executeUser: ['root'] }, 'executeUser must be a string'],
  ])('submit %j → %s', async (body, message) => {
    const r = await submit(body)
    expect(r.status).toBe(412)
    expect(r.body).toMatchObject({ status: 2, message: expect.stringContaining(message), data: {} })
  })

  it('killJobs checks both lists, item by item', async () => {
    const bad = await linkis.call('POST', `/entrance/${execID}/killJobs`, { idList: 'x', taskIDList: [] })
    expect(bad.body).toMatchObject({ status: 2, message: expect.stringContaining('idList must be a list') })
    const item = await linkis.call('POST', `/entrance/${execID}/killJobs`, { idList: [execID], taskIDList: [-1] })
    expect(item.body.message).toContain('taskIDList[0] must be a taskID')
    const many = await linkis.call('POST', `/entrance/${execID}/killJobs`, { idList: Array(1001).fill(execID), taskIDList: Array(1001).fill(taskID) })
    expect(many.body.message).toContain('idList holds 1001 items; at most 1000')
  })
})

describe('runType cypher', () => {
  it('runs Cypher on the graph named in params.configuration.runtime.graph, rows as a result set', async () => {
    const sub = await linkis.call('POST', '/entrance/submit', {
      executionContent: { code: 'UNWIND range(1, 3) AS x RETURN x, x * x AS sq', runType: 'cypher' },
      labels: { engineType: 'cypher-1', userCreator: 'admin-IDE' },
      params: { configuration: { runtime: { graph: 'default' } } },
    })
    expect(sub.body.status, JSON.stringify(sub.body)).toBe(0)
    expect(await linkis.waitDone(sub.body.data.execID, 120_000)).toBe('Succeed')
    const path = encodeURIComponent(`file:///jobdesk/admin/result/${sub.body.data.taskID}/_0.dolphin`)
    const open = await get(`/filesystem/openFile?path=${path}`)
    expect(open.body.data.fileContent).toEqual([
      ['1', '1'],
      ['2', '4'],
      ['3', '9'],
    ])
  }, 180_000)
})
