// Attack (atk28) on the hidden-character rule at Linkis entrance/submit (submit.ts text(): every label
// VALUE is checked, naming `labels.<key>`). The label's KEY is not: a label `{"us\u202Eer": "x"}` is
// accepted and kept on the job as `label.us\u202Eer`, shown with the job's labels in every view of it.
// Expected: refused in Linkis's envelope (status not 0), naming the character, as a value with it is.
// The cause: electron/http/dialects/linkis/submit.ts parseSubmission (label keys copied unchecked).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { linkisClient } from './support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
}, 60_000)
afterAll(() => t.close())

it('refuses a label whose key holds U+202E, as one whose value does', async () => {
  const linkis = linkisClient(t.url)
  await linkis.login()
  const submit = (labels: Record<string, string>) =>
    linkis.call('POST', '/entrance/submit', { executionContent: { code: 'select 1', runType: 'sql' }, labels: { engineType: 'jdbc-4', userCreator: 'admin-IDE', ...labels } })
  expect((await submit({ team: 'fin\u202Eance' })).body.status).not.toBe(0) // the control: a value is checked
  const res = await submit({ 'te\u202Eam': 'finance' })
  const id = res.body.data?.taskID
  // fails: status 0, the job keeps label.te\u202Eam
  expect(res.body.status, JSON.stringify(id ? t.app.store.jobs.get(id)!.labels : res.body)).not.toBe(0)
})
