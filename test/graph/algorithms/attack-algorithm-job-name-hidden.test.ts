// Attack (atk28) on the hidden-character rule for names (shared/hidden-chars.ts assertNameChars:
// "a user, job, script or folder, workflow, graph, label … may hold no control or invisible
// character"). A native script job's name is checked (jobs.service submitScript), but an algorithm
// job takes its `name` as given: POST /api/v1/algorithms/jobs {name: 'pay\u202Eroll'} answers 201
// and the Jobs page lists a job drawn as "paylor" + reversed text, the Trojan-Source trick the rule
// exists for. Expected: 400 name_hidden_char naming the field `name`, as for a script job.
// The cause: electron/graph/algorithms/algorithm.service.ts start() (`req.name.trim()`, no assertNameChars).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../../support/app'
import { seedSocialGraph } from '../support'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
  await seedSocialGraph(t.app, t.dir)
}, 60_000)
afterAll(() => t.close())

it('refuses an algorithm job named with U+202E, as a script job named so is refused', async () => {
  const script = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'select 1', name: 'pay\u202Eroll' })
  expect(script.status).toBe(400) // the control: the rule as it stands for script jobs
  const res = await t.call('POST', '/api/v1/algorithms/jobs', { algorithm: 'PageRank', name: 'pay\u202Eroll', source: { kind: 'graph', graph: 'social' } })
  // fails: 201, a job named "pay\u202Eroll"
  expect(res.status, JSON.stringify(res.body).slice(0, 200)).toBe(400)
  expect(res.body.error).toMatchObject({ code: 'name_hidden_char', field: 'name' })
})
