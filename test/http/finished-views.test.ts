// Status polls of finished jobs are answered from views kept in memory (#14.2, store/finished-views.ts).
// What a client relies on: a kept view is never stale (a rerun, a late log line, a delete show at
// once, in every dialect), and every check still runs on every poll (owner-or-admin, a revoked token).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { linkisClient } from '../linkis/support'
import { addUser } from '../support/users'

let t: TestApp
let dana: { token: string; call: (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }> }

async function send(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': typeof body === 'string' ? 'text/plain' : 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  return { status: res.status, body: text ? JSON.parse(text) : undefined }
}

beforeAll(async () => {
  t = await startTestApp()
  const { token } = await addUser(t, 'dana') // dana-password-1, chosen at her first sign-in
  dana = { token, call: (method, path, body) => send(token, method, path, body) }
})
afterAll(async () => {
  await t.close()
})

async function finishedShellJob(): Promise<number> {
  const { body } = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: 'echo hi' })
  await waitForStatus(t, body.id, ['succeeded'])
  return body.id
}

describe('native GET /api/v1/jobs/:id of a finished job', () => {
  it('is kept, and shows a rerun, a late log line and a delete at once', async () => {
    const id = await finishedShellJob()
    const first = (await t.call('GET', `/api/v1/jobs/${id}`)).body
    expect(first.reruns).toEqual([])
    expect(t.app.store.finishedViews.size).toBeGreaterThan(0)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body).toEqual(first) // served again, same answer

    const rerun = await t.call('POST', `/api/v1/jobs/${id}/rerun`)
    expect(rerun.status).toBe(201)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.reruns).toEqual([rerun.body.id])

    t.app.engine.note(id, 'INFO', 'a line written after the job finished')
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.log.lines).toBe(first.log.lines + 1)

    await waitForStatus(t, rerun.body.id, ['succeeded'])
    expect((await t.call('DELETE', `/api/v1/jobs/${rerun.body.id}`)).status).toBe(200)
    expect((await t.call('GET', `/api/v1/jobs/${rerun.body.id}`)).status).toBe(404)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).body.reruns).toEqual([]) // its rerun is gone

    expect((await t.call('DELETE', `/api/v1/jobs/${id}`)).status).toBe(200)
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).status).toBe(404)
  })

  it('still checks owner-or-admin and the token on every poll', async () => {
    const id = await finishedShellJob()
    expect((await t.call('GET', `/api/v1/jobs/${id}`)).status).toBe(200) // kept now
    // another user's job answers as an unknown one (#9 §3)
    const refused = await dana.call('GET', `/api/v1/jobs/${id}`)
    expect(refused.status).toBe(404)
    expect(refused.body.error).toEqual({ kind: 'not_found', code: 'job_not_found', message: `job ${id} does not exist` })

    const own = (await dana.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1' })).body.id
    for (let i = 0; (await dana.call('GET', `/api/v1/jobs/${own}`)).body.status !== 'succeeded'; i++) {
      if (i > 400) throw new Error('dana’s job did not finish')
      await new Promise((r) => setTimeout(r, 50))
    }
    expect((await dana.call('GET', `/api/v1/jobs/${own}`)).status).toBe(200)
    expect((await t.call('GET', `/api/v1/jobs/${own}`)).status).toBe(200) // an admin reaches it too

    const { token } = (await send('', 'POST', '/api/v1/login', { username: 'dana', password: 'dana-password-1' })).body
    expect((await send(token, 'GET', `/api/v1/jobs/${own}`)).status).toBe(200)
    expect((await send(token, 'POST', '/api/v1/logout')).status).toBe(200)
    expect((await send(token, 'GET', `/api/v1/jobs/${own}`)).status).toBe(401) // revoked: at once, view kept or not
  })
})

describe('Linkis entrance/:id/status of a finished job', () => {
  it('is kept, checks the owner on every poll, and a deleted job is not found', async () => {
    const admin = linkisClient(t.url)
    await admin.login()
    const execID = (await admin.submit('echo hi', 'sh')).body.data.execID as string
    expect(await admin.waitDone(execID)).toBe('Succeed')
    const id = Number(execID.slice(execID.lastIndexOf('_') + 1))
    // the whole answer is kept per path asked: each form of the id gets its own method and data
    for (let i = 0; i < 2; i++) {
      expect((await admin.call('GET', `/entrance/${execID}/status`)).body).toEqual({
        method: `/api/entrance/${execID}/status`,
        status: 0,
        message: 'Get status successful(获取状态成功)',
        data: { status: 'Succeed', execID },
      })
      const byTask = (await admin.call('GET', `/entrance/${id}/status?taskID=${id}`)).body
      expect(byTask.method).toBe(`/api/entrance/${id}/status`)
      expect(byTask.data).toEqual({ status: 'Succeed', execID: '', taskID: id })
    }

    const other = linkisClient(t.url)
    await other.login('dana', 'dana-password-1')
    // another user's job answers as an unknown one (#9 §3)
    const refused = await other.call('GET', `/entrance/${execID}/status`)
    expect(refused.body.status).not.toBe(0)
    expect(refused.body.message).toMatch(/Get job by ID error/)
    expect((await other.call('GET', `/entrance/${id}/status`)).body.message).toMatch(/Get job by ID error/)

    expect((await t.call('DELETE', `/api/v1/jobs/${id}`)).status).toBe(200)
    const gone = await admin.call('GET', `/entrance/${execID}/status`)
    expect(gone.body.status).not.toBe(0)
    expect(gone.body.message).toMatch(/Get job by ID error/)
  })
})

describe('Rill Flow get.json of a finished execution', () => {
  it('is kept, checks the owner on every poll, and a deleted execution reads as unknown', async () => {
    const descriptor = 'workspace: views\ndagName: poll\ntype: flow\ntasks:\n  - {category: pass, name: start}\n'
    expect((await t.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=views&feature_name=poll&alias=release', descriptor, { 'content-type': 'text/plain' })).status).toBe(200)
    const { execution_id } = (await t.call('POST', '/flow/submit.json?descriptor_id=views:poll', {})).body
    const path = `/flow/get.json?execution_id=${encodeURIComponent(execution_id)}&brief=true`
    let view: any
    for (let i = 0; (view = (await t.call('GET', path)).body.ret).dag_status !== 'SUCCEED'; i++) {
      if (i > 200) throw new Error(`the execution stayed ${view.dag_status}`)
      await new Promise((r) => setTimeout(r, 50))
    }
    const again = await t.call('GET', path)
    expect(again.body.ret).toEqual(view)
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8')
    expect(again.headers.get('x-frame-options')).toBe('DENY')

    // another user's execution reads as an unknown one (#9 §3)
    const hidden = await dana.call('GET', path)
    expect([hidden.status, hidden.body.ret]).toEqual([200, { tasks: '{}', context: {}, invoke_summary: {} }])

    const id = t.app.workflows.execution(execution_id, 'none').job.id
    expect((await t.call('DELETE', `/api/v1/jobs/${id}`)).status).toBe(200)
    expect((await t.call('GET', path)).body.ret).toEqual({ tasks: '{}', context: {}, invoke_summary: {} })
  })
})
