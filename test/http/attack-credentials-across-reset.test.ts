// Attack on #9 (a password an admin set opens nothing until changed): a user who had chosen their
// own password holds credentials in every dialect (native token, GES IAM token and access key,
// TuGraph token, Linkis session, Rill Flow console token, Explorer cookie); then an admin resets
// the password. Every one of those credentials, made before the reset, must stop working (401 or
// 403 password_change_required): none may go on with the password the admin now knows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { addUser } from '../support/users'
import { gesToken } from '../ges/support'
import { queryString, sdkSign } from '../ges/sdk-signer'
import { linkisClient } from '../linkis/support'
import { consoleLogin } from '../rillflow/support'
import { tugraphClient } from '../tugraph/support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

describe('credentials made before an admin resets the password', () => {
  it('open nothing afterwards in any dialect', async () => {
    const rex = await addUser(t, 'rex', { rights: ['scripts'] })
    const key = await rex.call('POST', '/api/v1/access-keys', { description: 'sdk' })
    expect(key.status).toBe(201)
    const host = new URL(t.url).host
    const signed = async () => {
      const q: [string, string][] = [['limit', '5']]
      const headers = sdkSign(key.body.accessKey, key.body.secretKey, { method: 'GET', host, path: '/v2/p1/graphs/jobs', query: q, headers: { 'Content-Type': 'application/json;charset=UTF-8', 'X-Project-Id': 'p1' } })
      return (await fetch(`${t.url}/v2/p1/graphs/jobs${queryString(q)}`, { headers })).status
    }
    const iam = await gesToken(t.url, 'rex', rex.password)
    const ges = async () => (await fetch(`${t.url}/v2/p1/graphs/jobs`, { headers: { 'x-auth-token': iam } })).status
    const tg = tugraphClient(t.url)
    await tg.login('rex', rex.password)
    const tugraph = async () => (await tg.post('cypher', { graph: 'default', script: 'RETURN 1' })).body.errorCode
    const linkis = linkisClient(t.url)
    expect((await linkis.login('rex', rex.password)).body.status).toBe(0)
    const linkisList = async () => (await linkis.call('GET', '/jobhistory/list')).status
    const rill = await consoleLogin(t, 'rex', rex.password)
    const rillList = async () => (await rill.call('GET', '/flow/bg/get_execution_ids.json?current=1')).status
    const connect = await fetch(`${t.url}/api-open/v1/connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${Buffer.from(`rex:${rex.password}`).toString('base64')}` },
      body: JSON.stringify({ address: '127.0.0.1', port: 9669 }),
    })
    const cookie = (connect.headers.get('set-cookie') ?? '').split(';')[0]
    const explorer = async () => (await fetch(`${t.url}/api-open/v1/jobs`, { headers: { cookie } })).status
    const native = async () => (await rex.call('GET', '/api/v1/jobs')).status
    const all = async () => ({ native: await native(), accessKey: await signed(), gesToken: await ges(), tugraph: await tugraph(), linkis: await linkisList(), rillFlow: await rillList(), explorer: await explorer() })
    // each works before the reset (else the test proves nothing)
    expect(await all()).toEqual({ native: 200, accessKey: 200, gesToken: 200, tugraph: '200', linkis: 200, rillFlow: 200, explorer: 200 })

    expect((await t.call('POST', '/api/v1/users/rex', { password: 'rex-reset-by-admin' })).status).toBe(200)
    const after = await all()
    const opened = Object.entries(after).filter(([, v]) => String(v) === '200').map(([k]) => k)
    expect(opened, JSON.stringify(after)).toEqual([])
  })
})
