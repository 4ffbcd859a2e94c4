// Linkis entrance/submit bounds a client's labels as the engine bounds every job's (shared/job-labels.ts,
// atk29): a key of at most 122 characters (kept as `label.<key>`, 128), 48 labels, and their bytes, each
// refused in Linkis's envelope naming the label; what it lets through the engine keeps, and the labels
// real clients send (jobapis.md §A.3) pass untouched.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'
import { CLIENT_LABEL_LIMITS } from '../../electron/http/dialects/linkis/submit'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

const submit = async (labels: Record<string, string>) => {
  const linkis = linkisClient(t.url)
  await linkis.login()
  return linkis.call('POST', '/entrance/submit', { executionContent: { code: 'select 1', runType: 'sql' }, labels: { engineType: 'jdbc-4', userCreator: 'admin-IDE', ...labels } })
}

it('refuses too many labels, a long key and too many bytes with status 2, naming the label', async () => {
  const tooMany = await submit(Object.fromEntries(Array.from({ length: 47 }, (_, i) => [`l${i}`, 'v'])))
  expect(tooMany.status).toBe(412)
  expect(tooMany.body).toMatchObject({ status: 2, message: expect.stringContaining('labels 49 labels, more than the 48 a job may have') })
  const longKey = await submit({ ['k'.repeat(123)]: 'v' })
  expect(longKey.body).toMatchObject({ status: 2, message: expect.stringMatching(/parameter error: labels key "k{40}…" \(123 characters\) is longer than 122 characters/) })
  const heavy = await submit(Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`l${i}`, '東'.repeat(1000)])))
  expect(heavy.body).toMatchObject({ status: 2, message: expect.stringMatching(/label "l\d+" brings keys and values past [\d,]+ bytes/) })
})

it('accepts the labels real clients send, and whatever it lets through at its bounds the engine keeps', async () => {
  const real = { executeOnce: 'true', codeType: 'sql', jobQueuingTimeout: '60', jobRunningTimeout: '600', jobRetryTimeout: '10', jobRetryCount: '1', tenant: 't1', yarnCluster: 'default', fixedEngineConn: 'false', cache: 'false' }
  const ok = await submit(real)
  expect(ok.body.status, JSON.stringify(ok.body)).toBe(0)
  expect(t.app.store.jobs.get(ok.body.data.taskID)!.labels).toMatchObject({ 'label.tenant': 't1', 'label.executeOnce': 'true', dialect: 'linkis' })
  // 48 labels, one with the longest key, the longest creator (kept twice: label.userCreator and
  // creator), and keys and values at the byte bound
  const labels: Record<string, string> = { engineType: 'jdbc-4', userCreator: `admin-${'C'.repeat(994)}`, ['k'.repeat(122)]: 'v' }
  const bytes = () => Object.entries(labels).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0)
  for (let i = 0; Object.keys(labels).length < CLIENT_LABEL_LIMITS.count; i++) labels[`l${String(i).padStart(2, '0')}`] = ''
  for (const k of Object.keys(labels).filter((k) => /^l\d\d$/.test(k))) labels[k] = 'é'.repeat(Math.min(1000, Math.floor((CLIENT_LABEL_LIMITS.bytes - bytes()) / 2)))
  expect(CLIENT_LABEL_LIMITS.bytes - bytes()).toBeLessThan(2)
  const atBounds = await submit(labels)
  expect(atBounds.body.status, JSON.stringify(atBounds.body).slice(0, 300)).toBe(0)
  expect(Object.keys(t.app.store.jobs.get(atBounds.body.data.taskID)!.labels)).toContain(`label.${'k'.repeat(122)}`)
})
