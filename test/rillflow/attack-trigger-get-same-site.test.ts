// Attack (#9 §4, atk40 lesser): Rill Flow's /flow/trigger.json answers GET as well as POST, and a GET
// of it finishes a waiting task, so it changes state; it was not marked so (security.ts CHANGES_STATE).
// The console's session cookie is SameSite=Strict, but a page on another port of 127.0.0.1 is the
// same site: its `<img src=…/flow/trigger.json?execution_id=…&task_name=…>` sent the cookie and no
// Origin, and the task was finished with the page's status. Now such a request (Sec-Fetch-Site
// same-site or cross-site, a cookie, no Origin) is refused in Rill Flow's envelope, as Linkis's kill
// is (test/linkis/state-changing-gets.test.ts); JobDesk's own pages still trigger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { answerServer } from '../workflows/support/answer-server'

/** The executor of the async task: it takes the call and answers at once; the task then waits for its trigger. */
const executor = answerServer((_req, res) => {
  res.setHeader('content-type', 'application/json')
  res.end('{}')
})

let t: TestApp
let cookie: string
beforeAll(async () => {
  t = await startTestApp()
  const login = await fetch(`${t.url}/flow/bg/user/login.json`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: '73@TuGraph' }) })
  expect(login.status).toBe(200)
  cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  expect(cookie).toContain('rillflow_session=')
}, 60_000)
afterAll(() => t.close())

/** Starts an execution whose one task waits for its trigger: its execution id, once the task waits. */
async function waitingExecution(name: string): Promise<string> {
  const descriptor = `workspace: trig\ndagName: ${name}\ntype: flow\ntasks:\n  - category: function\n    name: wait\n    pattern: task_async\n    resourceName: http://127.0.0.1:${executor.port}/start\n`
  expect((await t.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=trig&feature_name=${name}&alias=release`, descriptor, { 'content-type': 'text/plain' })).status).toBe(200)
  const executionId = (await t.call('POST', `/flow/submit.json?descriptor_id=trig:${name}`, {})).body.execution_id as string
  for (const end = Date.now() + 30_000; (await status(executionId)).task !== 'RUNNING'; ) {
    if (Date.now() > end) throw new Error(`task of ${executionId} never waited`)
    await new Promise((r) => setTimeout(r, 50))
  }
  return executionId
}

/** The execution's dag_status and its task's status. */
async function status(executionId: string): Promise<{ dag: string; task?: string }> {
  const ret = (await t.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).body.ret
  return { dag: ret?.dag_status, task: ret?.tasks?.wait?.status }
}

/** GET trigger.json for the waiting task with the console's cookie, as a page sends it (`site`: Sec-Fetch-Site). */
const triggerFromPage = (executionId: string, site: string) =>
  fetch(`${t.url}/flow/trigger.json?execution_id=${encodeURIComponent(executionId)}&task_name=wait&status=FAILED`, {
    headers: { cookie, 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
  })

describe('Rill Flow trigger.json GET from a page of another origin', () => {
  it.each(['same-site', 'cross-site'])('is refused with Sec-Fetch-Site %s: 403 in the Rill Flow envelope, the task still waits', async (site) => {
    const executionId = await waitingExecution(`refused${site.replace('-', '')}`)
    const res = await triggerFromPage(executionId, site)
    expect(res.status).toBe(403)
    const body = (await res.json()) as { error_code: number; error: string }
    expect(body.error_code).toBe(30108)
    expect(body.error).toContain('changes state')
    expect(await status(executionId)).toEqual({ dag: 'RUNNING', task: 'RUNNING' })
  })

  it.each(['same-site', 'cross-site'])('is refused without a cookie too (Sec-Fetch-Site %s): a single-user install lets credential-less loopback calls in, but not for another site’s page', async (site) => {
    const executionId = await waitingExecution(`bare${site.replace('-', '')}`)
    const res = await fetch(`${t.url}/flow/trigger.json?execution_id=${encodeURIComponent(executionId)}&task_name=wait&status=FAILED`, {
      headers: { 'sec-fetch-site': site, 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
    })
    expect(res.status).toBe(401)
    expect(await status(executionId)).toEqual({ dag: 'RUNNING', task: 'RUNNING' })
    // a client that is no browser still may go without a credential (the desktop user's scripts)
    expect((await fetch(`${t.url}/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).status).toBe(200)
  })

  it('still triggers from JobDesk’s own pages (same-origin)', async () => {
    const executionId = await waitingExecution('ownPage')
    const res = await triggerFromPage(executionId, 'same-origin')
    expect(res.status, await res.clone().text()).toBe(200)
    for (const end = Date.now() + 30_000; (await status(executionId)).dag !== 'FAILED'; ) {
      if (Date.now() > end) throw new Error(`execution ${executionId} stayed ${(await status(executionId)).dag}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  })
})
