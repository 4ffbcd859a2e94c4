// A Linkis client's loop, unchanged: login → submit → poll status → log paging → jobhistory get →
// getDirFileTrees → openFile, plus kill, validation errors, tokens and permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { groupMembers } from '../../electron/executors/process-tree'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
let linkis: ReturnType<typeof linkisClient>
beforeAll(async () => {
  t = await startTestApp()
  linkis = linkisClient(t.url)
})
afterAll(() => t.close())

describe('Linkis client loop', () => {
  it('answers 401 with the Message envelope before login, then logs in with a session cookie', async () => {
    const before = await linkis.call('GET', '/jobhistory/list')
    expect(before.status).toBe(401)
    expect(before.body).toMatchObject({ status: -1, message: expect.stringContaining('not logged in'), data: {} })
    const bad = await linkis.login('admin', 'wrong')
    expect(bad.status).toBe(400)
    expect(bad.body.status).toBe(1)
    const empty = await linkis.call('POST', '/user/login', { userName: '', password: 'x' })
    expect(empty.body.message).toBe('Username can not be empty(用户名不能为空)！')
    const r = await linkis.login()
    expect(r.body).toMatchObject({ status: 0, message: 'login successful(登录成功)！', data: { userName: 'admin', isAdmin: true } })
    expect(r.headers.getSetCookie()[0]).toMatch(/^linkis_user_session_ticket_id_v1=[\w-]+;.*HttpOnly.*SameSite=Strict/i)
    expect((await linkis.call('GET', '/user/userInfo')).body.data.userName).toBe('admin')
  })

  it('submits SQL, polls to Succeed, pages the log, and reads the results like a client', async () => {
    const sub = await linkis.submit('create table if not exists t (x int);\ninsert into t values (1),(2),(3);\nselect x, x * 10 as y from t order by x', 'sql', {
      params: { variable: {} },
    })
    expect(sub.body).toMatchObject({ method: '/api/entrance/submit', status: 0, message: 'OK' })
    const { execID, taskID } = sub.body.data
    expect(execID).toBe(`exec_id018014linkis-cg-entrance127.0.0.1:9104IDE_admin_jdbc_${taskID}`)
    expect(typeof taskID).toBe('number')
    expect(await linkis.waitDone(execID)).toBe('Succeed')

    const first = await linkis.call('GET', `/entrance/${execID}/log?fromLine=0&size=2`)
    expect(first.body.data.fromLine).toBe(2)
    expect(first.body.data.log).toHaveLength(4)
    expect(first.body.data.log[3]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} INFO Your job is accepted, jobID is exec_id/)
    const rest = await linkis.call('GET', `/entrance/${execID}/log?fromLine=2&size=100&distinctLevel=false`)
    expect(typeof rest.body.data.log).toBe('string')
    expect(rest.body.data.log).toContain('statement 3 of 3 (line 3): 3 rows')

    const progress = await linkis.call('GET', `/entrance/${execID}/progress`)
    expect(progress.body.data).toMatchObject({ progress: 1, execID, progressInfo: [{ succeedTasks: 1, totalTasks: 1 }] })
    expect((await linkis.call('GET', `/entrance/${execID}/progressWithResource`)).body.data.yarnMetrics).toBeNull()

    const history = await linkis.call('GET', `/jobhistory/${taskID}/get`)
    const task = history.body.data.task
    expect(task).toMatchObject({ taskID, status: 'Succeed', executeUser: 'admin', umUser: 'admin', runType: 'sql', engineType: 'jdbc-4', requestApplicationName: 'IDE', errCode: null })
    expect(task.resultLocation).toBe(`file:///jobdesk/admin/result/${taskID}`)

    const tree = await linkis.call('GET', `/filesystem/getDirFileTrees?path=${encodeURIComponent(task.resultLocation)}`)
    expect(tree.body.data.dirFileTrees.children.map((c: { name: string }) => c.name)).toEqual(['_0.dolphin'])
    const file = await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(tree.body.data.dirFileTrees.children[0].path)}&page=1&pageSize=2`)
    expect(file.body.data).toMatchObject({
      type: '2',
      totalLine: 3,
      page: 1,
      metadata: [{ columnName: 'x', comment: 'NULL', dataType: 'INT' }, { columnName: 'y', comment: 'NULL', dataType: 'string' }],
      fileContent: [['1', '10'], ['2', '20']],
    })
    const csv = await linkis.call('GET', `/filesystem/resultsetToExcel?path=${encodeURIComponent(`${task.resultLocation}/_0.dolphin`)}&outputFileType=csv&outputFileName=out`)
    expect(csv.headers.get('content-disposition')).toBe('attachment; filename="out.csv"')
    expect(csv.raw).toBe('x,y\n1,10\n2,20\n3,30\n') // StorageCSVWriter ends lines with \n
    const xlsx = await fetch(`${t.url}/api/rest_j/v1/filesystem/resultsetToExcel?path=${encodeURIComponent(`${task.resultLocation}/_0.dolphin`)}&outputFileType=xlsx`, { headers: { cookie: linkis.cookie } })
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml')
    expect(Buffer.from(await xlsx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK') // a zip container
    const log = await linkis.call('GET', `/filesystem/openLog?path=${encodeURIComponent(task.logPath)}`)
    expect(log.body.data.log[3]).toContain('Your job is accepted')
  })

  it('shell via the 0.x execute body, with variables; python stdout as a text result', async () => {
    const sub = await linkis.call('POST', '/entrance/execute', {
      executeApplicationName: 'shell',
      requestApplicationName: 'LINKISCLI',
      executionCode: 'echo "hi ${who}"',
      runType: 'sh',
      params: { variable: { who: 'linkis' } },
    })
    expect(sub.body.status).toBe(0)
    expect(await linkis.waitDone(sub.body.data.execID)).toBe('Succeed')
    const task = (await linkis.call('GET', `/jobhistory/${sub.body.data.taskID}/get`)).body.data.task
    const text = await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${task.resultLocation}/_0.dolphin`)}`)
    expect(text.body.data).toMatchObject({ type: '1', fileContent: [['hi linkis']] })
  })

  it('kills a running sleep (GET, as the UJES client does): the process is gone, the state Cancelled', async () => {
    const sub = await linkis.submit('sleep 300', 'sh')
    const { execID, taskID } = sub.body.data
    await expect.poll(() => t.app.store.jobs.tasks(taskID)[0]?.runtime?.pgid).toBeTypeOf('number')
    const pgid = t.app.store.jobs.tasks(taskID)[0].runtime!.pgid as number
    const kill = await linkis.call('GET', `/entrance/${execID}/kill?taskID=${taskID}`)
    expect(kill.body).toMatchObject({ status: 0, message: 'Successfully killed the job(成功kill了job)', data: { execID } })
    expect(await linkis.waitDone(execID, 3000)).toBe('Cancelled')
    expect(groupMembers(pgid, null)).toEqual([])
    const again = await linkis.call('POST', `/entrance/${taskID}/kill`)
    expect(again.body).toMatchObject({ status: 1, message: expect.stringContaining('The job already completed') })
    expect((await linkis.call('GET', `/entrance/${execID}/pause`)).body.status).toBe(0)
  })

  it('jobRetryCount retries (WaitForRetry between attempts); jobRunningTimeout ends in Timeout', async () => {
    const retried = (await linkis.submit('exit 3', 'sh', { labels: { engineType: 'shell-1', jobRetryCount: '1' } })).body.data
    const seen = new Set<string>()
    for (let i = 0; i < 200 && !['Failed', 'Succeed'].includes([...seen].pop() ?? ''); i++) {
      seen.add((await linkis.call('GET', `/entrance/${retried.execID}/status`)).body.data.status)
      await new Promise((r) => setTimeout(r, 25))
    }
    expect(seen.has('WaitForRetry')).toBe(true)
    expect(await linkis.waitDone(retried.execID)).toBe('Failed')
    const timed = (await linkis.submit('sleep 5', 'sh', { labels: { engineType: 'shell-1', jobRunningTimeout: '0.3' } })).body.data
    expect(await linkis.waitDone(timed.execID)).toBe('Timeout')
  })

  it('lists job history with filters; totalPage holds the row count as upstream', async () => {
    const all = await linkis.call('GET', '/jobhistory/list?pageNow=1&pageSize=2')
    expect(all.body.data.tasks).toHaveLength(2)
    expect(all.body.data.totalPage).toBe(5)
    const cancelled = await linkis.call('GET', '/jobhistory/list?status=Cancelled')
    expect(cancelled.body.data.tasks.map((x: { status: string }) => x.status)).toEqual(['Cancelled'])
    const sql = await linkis.call('GET', '/jobhistory/list?executeApplicationName=jdbc')
    expect(sql.body.data.totalPage).toBe(1)
    expect((await linkis.call('GET', '/jobhistory/listundone')).body.data.totalPage).toBe(0)
    const failedOrTimeout = await linkis.call('GET', '/jobhistory/list?status=Failed,Timeout')
    expect(failedOrTimeout.body.data.tasks.map((x: { status: string }) => x.status).sort()).toEqual(['Failed', 'Timeout'])
  })
})

describe('Linkis submit validation (jobapis.md §A.3)', () => {
  it.each([
    [{ executionContent: { code: 'x', runType: 'sql' }, labels: {} }, 20008, 'labels is null'],
    [{ executionContent: { code: 'x', runType: 'sql' }, labels: { userCreator: 'a-IDE' } }, 20009, 'You need to specify engineTypeLabel'],
    [{ executionContent: { code: 'x' }, labels: { engineType: 'spark-2.4.3' } }, 20009, 'specify runType'],
    [{ executionContent: { code: '  ', runType: 'sql' }, labels: { engineType: 'spark-2.4.3' } }, 20009, 'code cannot be empty'],
    [{ executionContent: { code: 'x', runType: 'scala' }, labels: { engineType: 'spark-2.4.3' } }, 20052, 'not supported'],
    [{ executionContent: { code: 'x', runType: '__proto__' }, labels: { engineType: 'constructor-1' } }, 20052, 'not supported'],
    [{ executionContent: { code: 'x', runType: 'toString' }, labels: { engineType: 'spark-2.4.3' } }, 20052, 'not supported'],
  ])('%j → errCode %i', async (body, code, text) => {
    const r = await linkis.call('POST', '/entrance/submit', body)
    expect(r.status).toBe(400)
    expect(r.body.status).toBe(1)
    expect(r.body.message).toMatch(new RegExp(`^errCode: ${code} ,desc: .*${text}`))
  })
})

describe('Linkis tokens, proxy users and permissions', () => {
  it('accepts Token-Code + Token-User configured in Settings and refuses the rest', async () => {
    const tokens = [{ code: 'BML-AUTH-1234567', users: ['hadoop'], hosts: ['*'], expiresAt: null }]
    const saved = await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} }) // what the Settings page does
    expect(saved.body.tokens.map((x: { masked: string; users: string[] }) => [x.masked, x.users])).toEqual([['••••••567', ['hadoop']]])
    // a token that has expired since it was saved (a past expiry is refused when saved)
    const stored = t.app.store.settings.get<object[]>(SETTING_KEYS.linkisTokens, [])
    t.app.store.settings.set(SETTING_KEYS.linkisTokens, [...stored, { name: 'OLD', users: ['*'], hosts: ['*'], expiresAt: 1 }])
    expect(JSON.stringify(saved.body)).not.toContain('BML-AUTH-1234567') // a code is never sent back
    expect((await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'bad name!', users: [], hosts: ['*'], expiresAt: null }], proxyUsers: {} })).status).toBe(400)
    // hadoop has an account with the scripts right, so the token may run shell as hadoop
    expect((await t.call('POST', '/api/v1/users', { username: 'hadoop', password: 'hadoop-pass-1', rights: ['scripts'] })).status).toBe(201)
    const headers = (code: string, user: string) => ({ 'Token-Code': code, 'Token-User': user })
    const ok = await linkis.call('GET', '/jobhistory/list', undefined, { ...headers('BML-AUTH-1234567', 'hadoop'), cookie: '' })
    expect(ok.status).toBe(200)
    expect(ok.body.data.totalPage).toBe(0) // hadoop sees only hadoop's jobs
    const wrongUser = await linkis.call('GET', '/jobhistory/list', undefined, headers('BML-AUTH-1234567', 'root'))
    expect(wrongUser.body).toMatchObject({ status: -1, message: expect.stringContaining('Token Authentication Failed, token: BML-AUTH-1234567，tokenUser: root') })
    expect((await linkis.call('GET', '/jobhistory/list', undefined, headers('OLD', 'x'))).body.message).toContain('expired')
    expect((await linkis.call('GET', '/jobhistory/list', undefined, headers('NOPE', 'x'))).status).toBe(401)
    expect((await linkis.call('GET', '/jobhistory/list', undefined, { 'Token-Code': 'BML-AUTH-1234567' })).body.message).toContain('Token-Code 和 Token-User')
    const sub = await linkis.call('POST', '/entrance/submit', { executionContent: { code: 'echo as-hadoop', runType: 'sh' }, labels: { engineType: 'shell-1' } }, headers('BML-AUTH-1234567', 'hadoop'))
    expect(sub.body.data.execID).toContain('_hadoop_shell_')
    const task = (await linkis.call('GET', `/jobhistory/${sub.body.data.taskID}/get`, undefined, headers('BML-AUTH-1234567', 'hadoop'))).body.data.task
    expect(task.executeUser).toBe('hadoop')
    // hadoop may not read admin's results
    const foreign = await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent('file:///jobdesk/admin/result/1/_0.dolphin')}`, undefined, headers('BML-AUTH-1234567', 'hadoop'))
    expect(foreign.body.message).toMatch(/^errCode: 80010/)
    // nor kill admin's jobs, which it is told are unknown (#9 §3)
    const victim = (await linkis.submit('sleep 5', 'sh')).body.data
    const denied = await linkis.call('GET', `/entrance/${victim.execID}/kill`, undefined, headers('BML-AUTH-1234567', 'hadoop'))
    expect(denied.body.message).toBe('Get job by ID error and cannot obtain the corresponding job(通过ID获取job失败)')
    expect(t.app.engine.job(victim.taskID)!.status).not.toBe('cancelled')
    await linkis.call('GET', `/entrance/${victim.execID}/kill`)
  })

  it('token-login swaps the token headers for a session cookie; killJobs kills in bulk', async () => {
    await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'admin-OPS-123456789012', users: ['admin'], hosts: ['127.0.0.1', '::1', '::ffff:127.0.0.1'], expiresAt: null }], proxyUsers: {} })
    const fresh = linkisClient(t.url)
    const login = await fresh.call('POST', '/user/token-login', undefined, { 'Token-Code': 'admin-OPS-123456789012', 'Token-User': 'admin' })
    // an admin token naming an admin: admin, per call and through token-login alike
    expect(login.body).toMatchObject({ status: 0, data: { userName: 'admin', isAdmin: true } })
    expect(fresh.cookie).toMatch(/^linkis_user_session_ticket_id_v1=/)
    expect((await fresh.call('GET', '/user/heartbeat')).body.status).toBe(0)

    const a = (await fresh.submit('sleep 30', 'sh')).body.data
    const b = (await fresh.submit('sleep 30', 'sh')).body.data
    const bulk = await fresh.call('POST', `/entrance/${a.execID}/killJobs`, { idList: [a.execID, b.execID], taskIDList: [a.taskID, b.taskID] })
    expect(bulk.body.data.messages.map((m: { status: number }) => m.status)).toEqual([0, 0])
    expect(await fresh.waitDone(a.execID)).toBe('Cancelled')
    expect(await fresh.waitDone(b.execID)).toBe('Cancelled')
    const mismatch = await fresh.call('POST', `/entrance/${a.execID}/killJobs`, { idList: [a.execID], taskIDList: [] })
    expect(mismatch.body.status).toBe(1)
  })

  it('a proxy session records submitUser and executeUser', async () => {
    const proxied = await linkis.call('GET', '/user/proxy?proxyUser=etl')
    expect(proxied.body).toMatchObject({ status: 0, data: { userName: 'admin', proxyUser: 'etl' } })
    const sub = await linkis.submit('echo proxied', 'sh')
    expect(sub.body.data.execID).toContain('_etl_shell_')
    const job = t.app.store.jobs.get(sub.body.data.taskID)!
    expect(job).toMatchObject({ submitter: 'admin', labels: { executeUser: 'etl', submitUser: 'admin' } })
    await linkis.call('POST', '/user/logout')
    expect((await linkis.call('GET', '/user/userInfo')).status).toBe(401)
  })
})
