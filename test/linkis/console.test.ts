// What Linkis's management console (linkis-web) asks besides the SDK's calls (#10): the login page's
// publicKey and oauth-redirect, the layout's governanceStationAdmin and baseinfo, the global history
// list with blank filters and its code column, the running-jobs badge (listundonetasks), a job's Code
// and Diagnostic tabs, and the empty engine list its detail page looks up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
let admin: ReturnType<typeof linkisClient>
let ann: ReturnType<typeof linkisClient>
const jobs: Record<string, { execID: string; taskID: number }> = {}

const submitted = (r: { status: number; body: any }) => {
  if (r.status !== 200) throw new Error(`submit: ${JSON.stringify(r.body)}`)
  return r.body.data as { execID: string; taskID: number }
}

beforeAll(async () => {
  t = await startTestApp()
  admin = linkisClient(t.url)
  await admin.login()
  const user = await addUser(t, 'ann', { rights: ['scripts'] })
  ann = linkisClient(t.url)
  expect((await ann.login('ann', user.password)).status).toBe(200)
  jobs.adminOk = submitted(await admin.submit('echo from-admin', 'sh'))
  jobs.annOk = submitted(await ann.submit('echo hello; echo done', 'sh'))
  jobs.annFail = submitted(await ann.submit('echo boom >&2; exit 3', 'sh'))
  jobs.annRunning = submitted(await ann.submit('sleep 30', 'sh'))
  for (const j of [jobs.adminOk, jobs.annOk, jobs.annFail]) await (j === jobs.adminOk ? admin : ann).waitDone(j.execID)
})
afterAll(async () => {
  await ann.call('GET', `/entrance/${jobs.annRunning.execID}/kill`)
  await t.close()
})

describe('the login page and the layout', () => {
  it('user/publicKey answers with login encryption off, before signing in', async () => {
    const r = await linkisClient(t.url).call('GET', '/user/publicKey')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 0, data: { enableLoginEncrypt: false, enableSSL: false } })
    expect(r.body.data).not.toHaveProperty('publicKey')
  })

  it('user/oauth-redirect says OAuth is off with status -1, which the login page takes quietly', async () => {
    const r = await linkisClient(t.url).call('GET', '/user/oauth-redirect')
    expect(r.status).toBe(401)
    expect(r.body).toMatchObject({ status: -1, message: expect.stringContaining('OAuth'), data: {} })
  })

  it('jobhistory/governanceStationAdmin tells admins from users', async () => {
    expect((await admin.call('GET', '/jobhistory/governanceStationAdmin')).body).toMatchObject({
      status: 0,
      data: { admin: true, historyAdmin: true, deptAdmin: false, canResultSet: true, errorMsgTip: expect.stringContaining('%s') },
    })
    expect((await ann.call('GET', '/jobhistory/governanceStationAdmin')).body.data).toMatchObject({ admin: false, historyAdmin: false })
  })

  it('user/baseinfo and configuration/engineType answer what the layout and the history filters read', async () => {
    expect((await ann.call('GET', '/user/baseinfo')).body).toMatchObject({ status: 0, data: { resultSetExportEnable: true, linkisClusterName: 'JobDesk', engineLogOnlyAdminEnable: false } })
    const engines = (await ann.call('GET', '/configuration/engineType')).body.data.engineType
    expect(engines).toEqual(expect.arrayContaining(['shell', 'python', 'jdbc']))
  })

  it('needs a session for all of them but the login page’s own calls', async () => {
    const anonymous = linkisClient(t.url)
    for (const path of ['/jobhistory/governanceStationAdmin', '/user/baseinfo', '/jobhistory/listundonetasks', '/jobhistory/job-extra-info?jobId=1', '/jobhistory/diagnosis-query?taskID=1', '/linkisManager/ecinfo/ecrHistoryList', '/filesystem/getUserRootPath', '/configuration/engineType']) {
      const r = await anonymous.call('GET', path)
      expect({ path, status: r.status, linkis: r.body.status }).toEqual({ path, status: 401, linkis: -1 })
    }
  })
})

describe('global history: jobhistory/list as the console sends it', () => {
  const list = (c: typeof admin, q: string) => c.call('GET', `/jobhistory/list?pageNow=1&pageSize=20${q}`)

  it('treats blank filters as none and lists each row with its executionCode', async () => {
    for (const blank of ['&creator=&proxyUser=&runType=', '&creator=%20&runType=%20%20&executeApplicationName=&instance=&engineInstance=&isAdminView=false', '&status=&isDeptView=']) {
      const r = await list(ann, blank)
      expect({ blank, status: r.status, total: r.body.data.totalPage }).toEqual({ blank, status: 200, total: 3 }) // ann’s three
    }
    const rows = (await list(ann, '&creator=&proxyUser=&runType=')).body.data.tasks
    const byId = new Map(rows.map((r: any) => [r.taskID, r]))
    expect((byId.get(jobs.annOk.taskID) as any).executionCode).toBe('echo hello; echo done')
    expect((byId.get(jobs.annFail.taskID) as any).executionCode).toBe('echo boom >&2; exit 3')
    expect(byId.has(jobs.adminOk.taskID)).toBe(false) // not hers
  })

  it('still filters by a creator or run type that is given', async () => {
    expect((await list(ann, '&creator=IDE')).body.data.totalPage).toBe(3)
    expect((await list(ann, '&creator=nobody')).body.data.totalPage).toBe(0)
    expect((await list(ann, '&runType=sh')).body.data.totalPage).toBe(3)
    expect((await list(ann, '&runType=py')).body.data.totalPage).toBe(0)
  })

  // a page whose jobs hold over 1 MiB of stored input is built in a worker thread (history-page.ts, #9 §2): the same rows
  it('lists a job of 1.2 MB of code, cut at 64 kB, beside the small ones', async () => {
    const code = `echo big\n: '${'x'.repeat(1_200_000)}'`
    const big = submitted(await admin.submit(code, 'sh'))
    await admin.waitDone(big.execID)
    const r = await list(admin, '')
    expect([r.status, r.body.status, r.body.data.totalPage]).toEqual([200, 0, 2]) // the admin's own two
    const byId = new Map(r.body.data.tasks.map((row: any) => [row.taskID, row]))
    expect((byId.get(big.taskID) as any).executionCode).toBe(`${code.slice(0, 64 * 1024)}…`)
    expect((byId.get(jobs.adminOk.taskID) as any).executionCode).toBe('echo from-admin')
    // its own view ({taskID}/get) has all its code, built in a worker thread too
    const one = await admin.call('GET', `/jobhistory/${big.taskID}/get`)
    expect([one.status, one.body.data.task.taskID, one.body.data.task.executionCode]).toEqual([200, big.taskID, code])
    expect((await ann.call('GET', `/jobhistory/${big.taskID}/get`)).body.status).not.toBe(0) // not hers
  })
})

describe('the running-jobs badge: jobhistory/listundonetasks', () => {
  it('lists the caller’s own unfinished jobs with the fields the footer reads', async () => {
    const r = await ann.call('GET', '/jobhistory/listundonetasks?pageSize=100&status=Running,Inited,Scheduled')
    expect(r.status).toBe(200)
    expect(r.body.data.totalPage).toBe(1)
    expect(r.body.data.tasks).toEqual([expect.objectContaining({ taskID: jobs.annRunning.taskID, status: 'Running', requestApplicationName: 'IDE', executionCode: 'sleep 30' })])
    expect((await ann.call('GET', '/jobhistory/listundonetasks')).body.data.totalPage).toBe(1) // the default states
    expect((await admin.call('GET', '/jobhistory/listundonetasks?pageSize=100')).body.data.tasks).toEqual([]) // the admin's own: none running
  })

  it('refuses a state that is not unfinished and paging that is not an integer', async () => {
    const done = await ann.call('GET', '/jobhistory/listundonetasks?status=Succeed')
    expect(done).toMatchObject({ status: 412, body: { status: 2, message: expect.stringContaining('status') } })
    expect(await ann.call('GET', '/jobhistory/listundonetasks?pageSize=ten')).toMatchObject({ status: 412, body: { status: 2, message: expect.stringContaining('pageSize') } })
  })
})

describe('a job’s detail page: Code and Diagnostic tabs, the engine lookup', () => {
  it('job-extra-info answers metricsMap with the whole executionCode and the runtime', async () => {
    const r = await ann.call('GET', `/jobhistory/job-extra-info?jobId=${jobs.annOk.taskID}`)
    expect(r.status).toBe(200)
    expect(r.body.data.metricsMap).toEqual({
      submitTime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
      runningTime: expect.stringMatching(/^\d{4}-\d\d-\d\d /),
      completeTime: expect.stringMatching(/^\d{4}-\d\d-\d\d /),
      runtime: expect.stringMatching(/^\d+(\.\d+)? (ms|s|m|h)$/),
      executionCode: 'echo hello; echo done',
    })
    const running = (await ann.call('GET', `/jobhistory/job-extra-info?jobId=${jobs.annRunning.taskID}`)).body.data.metricsMap
    expect(running.runtime).toMatch(/did not end/)
    expect(running).not.toHaveProperty('completeTime')
  })

  it('job-extra-info keeps other users’ jobs out and names a bad id', async () => {
    expect(await ann.call('GET', `/jobhistory/job-extra-info?jobId=${jobs.adminOk.taskID}`)).toMatchObject({ status: 400, body: { status: 1, message: expect.stringContaining('not found') } })
    expect((await admin.call('GET', `/jobhistory/job-extra-info?jobId=${jobs.annOk.taskID}`)).body.data.metricsMap.executionCode).toBe('echo hello; echo done')
    expect(await ann.call('GET', '/jobhistory/job-extra-info')).toMatchObject({ status: 400, body: { status: 1, message: 'Invalid jobId cannot be empty' } })
    expect(await ann.call('GET', '/jobhistory/job-extra-info?jobId=abc')).toMatchObject({ status: 412, body: { status: 2, message: expect.stringContaining('jobId') } })
    expect(await ann.call('GET', '/jobhistory/job-extra-info?jobId=999999')).toMatchObject({ status: 400, body: { status: 1 } })
  })

  it('diagnosis-query says why a job failed, and nothing for one that did not', async () => {
    const failed = await ann.call('GET', `/jobhistory/diagnosis-query?taskID=${jobs.annFail.taskID}`)
    expect(failed.status).toBe(200)
    expect(failed.body.data.diagnosisMsg).toMatch(/exit|code 3|failed/i)
    expect(failed.body.data.diagnosisMsg).toContain('boom')
    expect((await ann.call('GET', `/jobhistory/diagnosis-query?taskID=${jobs.annOk.taskID}`)).body.data).toEqual({ diagnosisMsg: '' })
    expect((await ann.call('GET', `/jobhistory/diagnosis-query?taskID=${jobs.annFail.taskID}&diagnosisSource=doctoris`)).body.data).toEqual({ diagnosisMsg: '' })
    expect(await ann.call('GET', `/jobhistory/diagnosis-query?taskID=${jobs.adminOk.taskID}`)).toMatchObject({ status: 400, body: { status: 1 } })
    expect(await ann.call('GET', '/jobhistory/diagnosis-query?taskID=1%20OR%201=1')).toMatchObject({ status: 412, body: { status: 2, message: expect.stringContaining('taskID') } })
  })

  it('linkisManager/ecinfo/ecrHistoryList answers an empty engine list to the detail page’s own URL', async () => {
    const r = await ann.call('GET', '/linkisManager/ecinfo/ecrHistoryList?instance=127.0.0.1:9104&startDate=2026-08-30%2012:00:00&endDate=2026-11-30%2012:00:00')
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 0, data: { engineList: [], totalPage: 0 } })
  })

  it('filesystem/getUserRootPath answers the caller’s own root', async () => {
    expect((await ann.call('GET', '/filesystem/getUserRootPath')).body.data).toEqual({ userLocalRootPath: 'file:///jobdesk/ann/' })
    expect((await ann.call('GET', '/filesystem/getUserRootPath?pathType=hdfs')).body.data).toEqual({ userHDFSRootPath: 'hdfs:///jobdesk/ann/' })
  })

  it('filesystem/getDirFileTrees on that root is a folder with no files (the UDF pages read dirFileTrees and its children)', async () => {
    const r = await ann.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent('file:///jobdesk/ann/')}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ status: 0, data: { dirFileTrees: { name: 'ann', path: 'file:///jobdesk/ann', children: [], isLeaf: false, parentPath: 'file:///jobdesk' } } })
    // another user's root is theirs, as their results are; an admin may look
    expect(await ann.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent('file:///jobdesk/admin/')}`)).toMatchObject({ status: 400, body: { status: 1, message: expect.stringContaining('no permission') } })
    expect((await admin.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent('hdfs:///jobdesk/ann')}`)).body.data.dirFileTrees).toMatchObject({ name: 'ann', children: [] })
    // a malformed escape names no path: the Message envelope says so, the server stays up
    for (const bad of ['file:///jobdesk/%E0/', 'file:///jobdesk/%E0/result/1'])
      expect(await ann.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent(bad)}`)).toMatchObject({ status: 400, body: { status: 1, message: expect.stringContaining('not a JobDesk result or log path') } })
  })
})

describe('admin screens outside a job center', () => {
  it('answer the reads their pages render with well-formed empty data', async () => {
    const expected: [string, string, Record<string, unknown>][] = [
      ['GET', '/linkisManager/listAllEMs', { EMs: [] }],
      ['GET', '/linkisManager/listAllECMHealthyStatus?onlyEditable=true', { nodeHealthy: [] }],
      ['GET', '/linkisManager/listAllNodeHealthyStatus', { nodeStatus: [] }],
      ['GET', '/microservice/modifiableLabelKey', { keyList: [] }],
      ['POST', '/linkisManager/rm/userresources', { userResources: [] }],
      ['GET', '/linkisManager/rm/allUserResource?page=1&size=15', { resources: [], total: 0 }],
      ['GET', '/linkisManager/rm/engineType', { engineType: expect.arrayContaining(['shell']) }],
      ['GET', '/data-source-manager/info?currentPage=1&pageSize=10', { queryList: [], totalPage: 0 }],
      ['GET', '/data-source-manager/type/all', { typeList: [] }],
      ['GET', '/data-source-manager/env', { queryList: [] }],
      ['POST', '/udf/managerPages', { infoList: [], total: 0 }],
      ['GET', '/udf/userDirectory?category=udf', { userDirectory: [] }],
      // the engine-connection list reads `engines`, engine plugins `queryList`/`totalPage` and `typeList`
      ['POST', '/linkisManager/listEMEngines', { engines: [] }],
      ['GET', '/engineplugin/list?pageSize=8&currentPage=1', { queryList: [], totalPage: 0 }],
      ['GET', '/engineplugin/getTypeList', { typeList: [] }],
      // the basic-data pages for data sources and UDFs read `list.list` and `list.total`
      ...['datasource-access', 'datasource-env', 'datasource-type', 'datasource-type-key', 'udf-manager', 'udf-tree'].map(
        (name): [string, string, Record<string, unknown>] => ['GET', `/basedata-manager/${name}?searchName=&currentPage=1&pageSize=10`, { list: { list: [], total: 0 } }],
      ),
    ]
    for (const [method, path, data] of expected) {
      const r = await admin.call(method, path, method === 'POST' ? {} : undefined)
      expect({ path, status: r.status, linkis: r.body.status }).toEqual({ path, status: 200, linkis: 0 })
      expect(r.body.data).toEqual(data)
    }
  })
})
