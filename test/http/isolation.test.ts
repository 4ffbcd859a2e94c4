// A second, non-admin user reaches none of admin's jobs, logs, results, events or settings in any
// dialect (native, Linkis, Rill Flow with a bearer token), and reaches their own (#9.3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { openEventStream } from '../support/event-stream'
import { addUser, type TestUser } from '../support/users'
import { linkisClient } from '../linkis/support'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'

let t: TestApp
let bob: TestUser
const admin = { sql: 0, shell: 0, linkis: { execID: '', taskID: 0 }, execution: '', executionJob: 0 }
const HOLD = 'workspace: iso\ndagName: hold\ntype: flow\ntasks:\n  - {category: suspense, name: wait, conditions: ["$.input.[?(@.go == true)]"], inputMappings: [{source: $.context.go, target: $.input.go}]}\n'

/** Reads a server-sent event stream for `ms` and returns its text. */
async function readEvents(token: string, ms: number, during: () => Promise<void>): Promise<string> {
  const stream = await openEventStream(t.url, token)
  await during()
  await new Promise((r) => setTimeout(r, ms))
  await stream.stop()
  return stream.text()
}

/** An id that names no job; answers to it are what another user's job must answer (#9 §3). */
const UNKNOWN = 987_654
/** An answer with `id` spelled N: another user's job and an unknown one must then read the same. */
const withoutId = (answer: { status: number; raw?: string; body: unknown }, id: string | number) => ({ status: answer.status, body: JSON.stringify(answer.body).replaceAll(String(id), 'N') })

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  admin.sql = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "select 'admin-secret-row' as s" })).body.id
  admin.shell = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo admin-secret-log; sleep 30' })).body.id
  await waitForStatus(t, admin.sql, ['succeeded'])
  const linkis = linkisClient(t.url)
  await linkis.login()
  admin.linkis = (await linkis.submit("select 'admin-linkis' as s", 'sql')).body.data
  await linkis.waitDone(admin.linkis.execID)
  const added = await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', HOLD, { 'content-type': 'text/plain' })
  expect(added.status).toBe(200)
  admin.execution = (await t.call('POST', '/flow/submit.json?descriptor_id=iso:hold', {})).body.execution_id
  admin.executionJob = t.app.store.jobs.getByUuid(uuidOfExecutionId(admin.execution))?.id ?? 0
  expect(admin.executionJob).toBeGreaterThan(0)
  expect(t.app.store.jobs.get(admin.executionJob)!.submitter).toBe('admin')
}, 60_000)
afterAll(async () => {
  await t.call('POST', `/api/v1/jobs/${admin.shell}/cancel`, {})
  await waitForStatus(t, admin.shell, ['cancelled', 'succeeded']) // on a loaded machine the suite may outlast its sleep 30
  await t.close()
})

describe('native API and IPC operations: owner or admin', () => {
  it('answers bob every route of an admin job as an unknown job, and lists only bob’s own jobs', async () => {
    const forbidden = [
      ['GET', '/api/v1/jobs/:id', admin.sql],
      ['GET', '/api/v1/jobs/:id/logs', admin.shell],
      ['GET', '/api/v1/jobs/:id/results', admin.sql],
      ['GET', '/api/v1/jobs/:id/results/0', admin.sql],
      ['GET', '/api/v1/jobs/:id/results/0/csv', admin.sql],
      ['POST', '/api/v1/jobs/:id/cancel', admin.shell],
      ['GET', '/api/v1/jobs/:id/code', admin.sql],
      ['POST', '/api/v1/jobs/:id/rerun', admin.sql],
      ['GET', '/api/v1/executions/:id', admin.executionJob],
      ['POST', '/api/v1/executions/:id/redo', admin.executionJob],
    ] as const
    for (const [method, path, id] of forbidden) {
      const r = await bob.call(method, path.replace(':id', String(id)), method === 'POST' ? {} : undefined)
      const unknown = await bob.call(method, path.replace(':id', String(UNKNOWN)), method === 'POST' ? {} : undefined)
      expect(r.status, `${method} ${path}`).toBe(404)
      expect(withoutId(r, id), `${method} ${path}`).toEqual(withoutId(unknown, UNKNOWN))
      expect(JSON.stringify(r.body)).not.toContain('admin-secret')
    }
    expect((await t.call('GET', `/api/v1/jobs/${admin.shell}`)).body.status).toBe('running') // bob's cancel did nothing
    const list = await bob.call('GET', '/api/v1/jobs')
    expect(list.body).toEqual({ items: [], total: 0 })
    expect((await t.call('GET', '/api/v1/jobs')).body.total).toBeGreaterThanOrEqual(4) // admins see everyone's
  })

  it('lets bob reach his own SQL job: detail, logs, results, CSV, rerun (as bob)', async () => {
    const own = await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "select 'bob-row' as s" })
    expect(own.status).toBe(201)
    const done = await waitForStatus(t, own.body.id, ['succeeded'])
    expect(done.submitter).toBe('bob')
    expect((await bob.call('GET', `/api/v1/jobs/${own.body.id}/results/0`)).body.rows).toEqual([['bob-row']])
    expect((await bob.call('GET', `/api/v1/jobs/${own.body.id}/results/0/csv`)).body.csv).toContain('bob-row')
    expect((await bob.call('GET', `/api/v1/jobs/${own.body.id}/logs`)).status).toBe(200)
    const rerun = await bob.call('POST', `/api/v1/jobs/${own.body.id}/rerun`)
    expect(rerun.status).toBe(201)
    expect(t.app.store.jobs.get(rerun.body.id)!.submitter).toBe('bob')
    expect((await bob.call('GET', '/api/v1/jobs')).body.items.map((j: { submitter: string }) => j.submitter)).toEqual(['bob', 'bob'])
  })

  it('keeps settings and users to admins; Linkis token codes never come back', async () => {
    await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ code: 'SECRET-CODE-123456', users: ['*'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })
    for (const [method, path, body] of [
      ['GET', '/api/v1/settings/server', undefined],
      ['POST', '/api/v1/settings/server', { allowRemote: false, allowedHosts: [], allowedOrigins: [], rillflowRequireToken: false }],
      ['GET', '/api/v1/settings/linkis', undefined],
      ['POST', '/api/v1/settings/linkis', { tokens: [], proxyUsers: {} }],
      ['GET', '/api/v1/users', undefined],
      ['POST', '/api/v1/users', { username: 'mallory', password: 'mallory-pass-1', role: 'admin' }],
      ['POST', '/api/v1/users/bob', { role: 'admin' }],
    ] as const) {
      const r = await bob.call(method, path, body)
      expect(r.status, `${method} ${path}`).toBe(403)
      expect(r.body.error.code).toBe('admins_only')
    }
    const seen = await t.call('GET', '/api/v1/settings/linkis')
    expect(seen.body.tokens[0]).toMatchObject({ masked: '••••••456', users: ['*'] })
    expect(JSON.stringify(seen.body)).not.toContain('SECRET-CODE')
    expect(JSON.stringify(t.app.store.db.prepare('SELECT value FROM settings').all())).not.toContain('SECRET-CODE') // only its hash is stored
    // editing keeps the code unless a new one is typed
    const kept = await t.call('POST', '/api/v1/settings/linkis', { tokens: [{ id: seen.body.tokens[0].id, users: ['bob'], hosts: ['*'], expiresAt: null }], proxyUsers: {} })
    expect(kept.body.tokens[0]).toMatchObject({ id: seen.body.tokens[0].id, masked: '••••••456', users: ['bob'] })
    const byToken = await fetch(`${t.url}/api/rest_j/v1/user/userInfo`, { headers: { 'Token-Code': 'SECRET-CODE-123456', 'Token-User': 'bob' } })
    expect(((await byToken.json()) as { data: { userName: string } }).data.userName).toBe('bob')
  })

  it('the event stream carries only bob’s own jobs and log lines', async () => {
    let mine = 0
    let theirs = 0
    const text = await readEvents(bob.token, 600, async () => {
      theirs = (await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "select 'admin-secret-event' as s" })).body.id
      mine = (await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: "select 'bob-event' as s" })).body.id
      await waitForStatus(t, theirs, ['succeeded'])
      await waitForStatus(t, mine, ['succeeded'])
    })
    expect(text).toContain(`"id":${mine}`)
    expect(text).not.toContain(`"id":${theirs},`)
    expect(text).not.toContain(`"jobId":${theirs},`)
    expect(text).not.toContain('admin-secret')
    // an admin's stream has both
    const all = await readEvents(t.token, 400, async () => {
      await waitForStatus(t, (await bob.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).body.id, ['succeeded'])
    })
    expect(all).toContain('"submitter":"bob"')
  })

  it('the event stream carries bob’s own workflow changes, not admin’s; an admin’s carries both (#13)', async () => {
    const flow = (ws: string) => `workspace: ${ws}\ndagName: evt\ntype: flow\ntasks:\n  - {category: pass, name: a}\n`
    const text = await readEvents(bob.token, 400, async () => {
      const saved = await t.call('POST', '/api/v1/workflows', { text: flow('adminsecretws') })
      expect(saved.status).toBe(201)
      expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', flow('adminrillws'), { 'content-type': 'text/plain' })).status).toBe(200)
      const version = String(saved.body.descriptorId).split(':md5_')[1]
      expect((await t.call('POST', '/api/v1/workflows/aliases', { workspace: 'adminsecretws', name: 'evt', alias: 'moved', version })).status).toBe(200)
      expect((await t.call('DELETE', '/api/v1/workflows?workspace=adminsecretws&name=evt')).status).toBe(200)
      expect((await bob.call('POST', '/api/v1/workflows', { text: flow('bobws') })).status).toBe(201)
    })
    expect(text).toContain('event: workflow.changed')
    expect(text).toContain('"workspace":"bobws"')
    expect(text).toContain('"change":"created"')
    expect(text).not.toContain('adminsecretws')
    expect(text).not.toContain('adminrillws')
    const all = await readEvents(t.token, 400, async () => {
      expect((await bob.call('POST', '/api/v1/workflows', { text: flow('bobws').replace('name: a', 'name: b') })).status).toBe(201)
      expect((await bob.call('DELETE', '/api/v1/workflows?workspace=bobws&name=evt')).status).toBe(200)
    })
    expect(all).toContain('{"workspace":"bobws","name":"evt","owner":"bob","change":"deleted"}')
    expect(all).toMatch(/event: workflow\.changed\ndata: \{"workspace":"bobws","name":"evt","owner":"bob","change":"version"/)
  })
})

describe('Linkis: owner or admin', () => {
  it('refuses bob admin’s job status, log, progress, kill, history and files; ?proxyUser=admin too', async () => {
    const linkis = linkisClient(t.url)
    expect((await linkis.login('bob', bob.password)).body.status).toBe(0)
    const { execID, taskID } = admin.linkis
    const unknownExecID = execID.replace(new RegExp(`_${taskID}$`), `_${UNKNOWN}`)
    for (const path of ['/entrance/:exec/status', '/entrance/:exec/log?fromLine=0&size=100', '/entrance/:task/progress', '/entrance/:exec/kill', '/jobhistory/:task/get', '/jobhistory/job-extra-info?jobId=:task', '/jobhistory/diagnosis-query?taskID=:task']) {
      const r = await linkis.call('GET', path.replace(':exec', execID).replace(':task', String(taskID)))
      const unknown = await linkis.call('GET', path.replace(':exec', unknownExecID).replace(':task', String(UNKNOWN)))
      expect(r.body.status, path).not.toBe(0)
      expect(r.raw, path).not.toContain('admin-linkis')
      // as an unknown job: nothing tells bob the job exists or whose it is
      expect(withoutId(r, taskID), path).toEqual(withoutId(unknown, UNKNOWN))
    }
    const killJobs = await linkis.call('POST', `/entrance/${execID}/killJobs`, { idList: [execID], taskIDList: [taskID] })
    const killUnknown = await linkis.call('POST', `/entrance/${unknownExecID}/killJobs`, { idList: [unknownExecID], taskIDList: [UNKNOWN] })
    expect(killJobs.body.data.messages[0].status).toBe(1)
    expect(withoutId(killJobs, taskID)).toEqual(withoutId(killUnknown, UNKNOWN))
    const spied = await linkis.call('GET', '/jobhistory/list?proxyUser=admin')
    expect(spied.body.status).toBe(1)
    expect(spied.body.message).toContain('no permission')
    const adminView = await linkis.call('GET', '/jobhistory/list?isAdminView=true')
    expect(adminView.body.data.tasks.every((x: { umUser: string }) => x.umUser === 'bob')).toBe(true)
    const dir = `file:///jobdesk/admin/result/${taskID}`
    for (const path of [
      `/filesystem/getDirFileTrees?path=${encodeURIComponent(dir)}`,
      `/filesystem/openFile?path=${encodeURIComponent(`${dir}/_0.dolphin`)}`,
      `/filesystem/resultsetToExcel?path=${encodeURIComponent(`${dir}/_0.dolphin`)}&outputFileType=csv`,
      `/filesystem/openLog?path=${encodeURIComponent(`file:///jobdesk/admin/log/${taskID}.log`)}`,
      // the path names bob, the job is admin's: still no
      `/filesystem/openFile?path=${encodeURIComponent(`file:///jobdesk/bob/result/${taskID}/_0.dolphin`)}`,
    ]) {
      const r = await linkis.call('GET', path)
      expect(r.body.status, path).not.toBe(0)
      expect(r.raw, path).not.toContain('admin-linkis')
    }
    // bob's own job, every step
    const own = (await linkis.submit("select 'bob-linkis' as s", 'sql')).body.data
    expect(await linkis.waitDone(own.execID)).toBe('Succeed')
    const task = (await linkis.call('GET', `/jobhistory/${own.taskID}/get`)).body.data.task
    const file = await linkis.call('GET', `/filesystem/openFile?path=${encodeURIComponent(`${task.resultLocation}/_0.dolphin`)}`)
    expect(file.body.data.fileContent).toEqual([['bob-linkis']])
    expect((await linkis.call('GET', `/entrance/${own.execID}/log?fromLine=0&size=10`)).body.status).toBe(0)
    expect((await linkis.call('GET', '/jobhistory/list')).body.data.tasks.map((x: { taskID: number }) => x.taskID)).toContain(own.taskID)
  })
})

describe('Rill Flow with a bearer token: owner or admin', () => {
  it('answers bob admin’s execution on every route as an unknown one; bob’s own works', async () => {
    const id = encodeURIComponent(admin.execution)
    const unknownId = admin.execution.replace(uuidOfExecutionId(admin.execution), '00000000-0000-4000-8000-000000000000')
    const auth = { authorization: `Bearer ${bob.token}` }
    for (const [method, path] of [
      ['GET', `/flow/get.json?execution_id=${id}`],
      ['GET', `/flow/get_context.json?execution_id=${id}`],
      ['GET', `/flow/get_sub_context.json?execution_id=${id}&parent=x&group_index=0`],
      ['GET', `/flow/get_by_parent.json?execution_id=${id}&parent=x&group_index=0`],
      ['POST', `/flow/redo.json?execution_id=${id}`],
      ['POST', `/flow/complete_dag.json?execution_id=${id}&success=false`],
      ['POST', `/flow/task_degrade.json?execution_id=${id}&task_name=wait&degrade_current_task=true`],
      ['POST', `/flow/wakeup.json?execution_id=${id}&task_name=wait`],
      ['POST', `/flow/finish.json?execution_id=${id}&task_name=wait`],
      ['GET', `/flow/trigger.json?execution_id=${id}&task_name=wait`],
    ] as const) {
      const r = await t.call(method, path, method === 'POST' ? {} : undefined, auth)
      const unknown = await t.call(method, path.replace(id, encodeURIComponent(unknownId)), method === 'POST' ? {} : undefined, auth)
      expect(r.status, `${method} ${path}`).not.toBe(403)
      expect(withoutId(r, admin.execution), `${method} ${path}`).toEqual(withoutId(unknown, unknownId))
    }
    expect(t.app.engine.job(admin.executionJob)!.status).toBe('running') // complete_dag did nothing
    const ids = await t.call('GET', '/flow/get_execution_ids.json?service_id=iso:hold&type=running', undefined, auth)
    expect(ids.body.execution_ids).toEqual([])
    // admin's workflow is admin's to run; bob runs his own
    expect((await t.call('POST', '/flow/submit.json?descriptor_id=iso:hold', {}, auth)).status).toBe(403)
    const own = HOLD.replace('dagName: hold', 'dagName: bobhold')
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', own, { ...auth, 'content-type': 'text/plain' })).status).toBe(200)
    const mine = await t.call('POST', '/flow/submit.json?descriptor_id=iso:bobhold', {}, auth)
    const view = await t.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(mine.body.execution_id)}`, undefined, auth)
    expect(view.body.ret).toMatchObject({ execution_id: mine.body.execution_id, dag_status: 'RUNNING' })
    expect((await t.call('POST', `/flow/complete_dag.json?execution_id=${encodeURIComponent(mine.body.execution_id)}&success=true`, {}, auth)).body).toEqual({ code: '0', message: 'ok' })
    const listed = await t.call('GET', '/flow/get_execution_ids.json?service_id=iso:bobhold&type=succeed', undefined, auth)
    expect(listed.body.execution_ids.map((e: { execution_id: string }) => e.execution_id)).toEqual([mine.body.execution_id])
    // a signed-out token is refused, not taken for the loopback desktop user
    await t.call('POST', '/api/v1/logout', undefined, auth)
    expect((await t.call('GET', `/flow/get.json?execution_id=${id}`, undefined, auth)).status).toBe(401)
    // nor does leaving the token out make bob the desktop user: with two users, loopback needs a token too
    const bare = await fetch(`${t.url}/flow/get_context.json?execution_id=${id}`)
    expect(bare.status).toBe(401)
    expect(await bare.json()).toMatchObject({ error_code: 30104, error: expect.stringContaining('needs a credential') })
  })
})
