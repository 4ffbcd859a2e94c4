// Attack (#9 §1, atk16): a mapping target path of thousands of steps builds a value nested as deep,
// past every depth limit the input side has (a body nests at most 100 levels; a copy at most 500,
// value-budget.ts VALUE_LIMITS.maxDepth): writePath makes each missing level. Over real HTTP (load ~2):
// - mapping_evaluation.json with target `$.input.a.a…` of 8,000 or 20,000 steps (a 16-40 kB body):
//   500 "internal server error" (2,000 steps: 200 and a 2,000-deep answer), not a 4xx naming the rule;
// - a stored descriptor whose pass task writes `$.context.a.a…` of 2,000 steps: the job ends
//   "succeeded" with that context stored, and from then on get.json (brief too), get_context.json
//   and the native GET /api/v1/jobs/:id of that job answer 500 every time (8,000 steps: the job
//   fails, "the context … cannot be stored as JSON: Maximum call stack size exceeded").
// The measure is the issue's: every bad input gets a 4xx in its dialect's envelope naming the field,
// and what was accepted stays readable. Fixed by fixjsonpath (target steps and stored depth ≤ MAX_JSON_DEPTH).
import { beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../support/app'
import { rillSuite, type RillSuite } from './support/rill-suite'

const suite = rillSuite({ sampleExecutor: false })
let t: TestApp
let rill: RillSuite['rill']
beforeAll(() => ({ t, rill } = suite))

const deep = (root: string, steps: number) => `${root}${'.a'.repeat(steps)}`

describe('attack: a mapping target thousands of levels deep', () => {
  it('mapping_evaluation.json with a target of 8,000 steps is a 4xx naming the rule', async () => {
    const r = await rill.call('POST', '/flow/mapping_evaluation.json', { mappings: [{ source: '$.context.x', target: deep('$.input', 8000) }], context: { x: 1 } })
    expect(r.status).toBeGreaterThanOrEqual(400)
    expect(r.status).toBeLessThan(500)
    expect(JSON.stringify(r.body)).toContain('mappings[0]')
  })

  it('a workflow that wrote a context 2,000 levels deep stays readable in every view', async () => {
    const yaml = `workspace: attack\ndagName: deep\ntype: flow\ntasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: "${deep('$.context', 2000)}", source: $.context.x}\n`
    const added = await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')
    if (added.status !== 200) return expect(added.status).toBeLessThan(500) // refused up front, with a 4xx: fine
    const executionId = await rill.submit('attack:deep', { x: 1 })
    const job = await (async () => {
      for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
        const list = await t.call('GET', '/api/v1/jobs?limit=5')
        const found = list.body.items.find((j: any) => executionId.endsWith(j.uuid))
        if (found && found.status !== 'queued' && found.status !== 'running') return found
      }
      throw new Error('the job did not end')
    })()
    const views = {
      get: (await rill.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}`)).status,
      brief: (await rill.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=true`)).status,
      context: (await rill.call('GET', `/flow/get_context.json?execution_id=${encodeURIComponent(executionId)}`)).status,
      native: (await t.call('GET', `/api/v1/jobs/${job.id}`)).status,
    }
    expect(views).toEqual({ get: 200, brief: 200, context: 200, native: 200 })
  })
})

/** `{"x":{"x":…1…}}`, `depth` levels of one key "x". */
const nested = (depth: number): unknown => JSON.parse(`${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`)

/** Every view of a job: Rill Flow's get.json (brief too) and get_context.json, and the native job. */
async function views(executionId: string, jobId: number) {
  const q = `execution_id=${encodeURIComponent(executionId)}`
  const get = await rill.call('GET', `/flow/get.json?${q}`)
  return {
    statuses: {
      get: get.status,
      brief: (await rill.call('GET', `/flow/get.json?${q}&brief=true`)).status,
      context: (await rill.call('GET', `/flow/get_context.json?${q}`)).status,
      native: (await t.call('GET', `/api/v1/jobs/${jobId}`)).status,
    },
    get,
  }
}

async function endedJob(executionId: string): Promise<any> {
  for (const end = Date.now() + 10_000; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const found = (await t.call('GET', '/api/v1/jobs?limit=5')).body.items.find((j: any) => executionId.endsWith(j.uuid))
    if (found && found.status !== 'queued' && found.status !== 'running') return found
  }
  throw new Error('the job did not end')
}

describe('a context may nest no deeper than a request body', () => {
  it('a descriptor target over 100 steps is refused at add_descriptor, naming the field', async () => {
    const yaml = `workspace: attack\ndagName: steps\ntype: flow\ntasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: "${deep('$.context', 100)}", source: $.context.x}\n`
    const added = await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')
    expect(added.status).toBe(400)
    expect(JSON.stringify(added.body)).toMatch(/outputMappings\[0\]\.target.*101 steps; at most 100/)
  })

  it('a workflow whose write would nest the context past 100 levels fails with that reason, and stays readable', async () => {
    // 60 steps (accepted) holding a value 60 levels deep (as the submitted context may): 120 levels
    const yaml = `workspace: attack\ndagName: deeper\ntype: flow\ntasks:\n  - category: pass\n    name: a\n    outputMappings:\n      - {target: "${deep('$.context', 60)}", source: $.context.x}\n`
    expect((await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')).status).toBe(200)
    const executionId = await rill.submit('attack:deeper', { x: nested(60) })
    const job = await endedJob(executionId)
    expect(job.status).toBe('failed')
    const { statuses } = await views(executionId, job.id)
    expect(statuses).toEqual({ get: 200, brief: 200, context: 200, native: 200 })
    const logs = JSON.stringify((await t.call('GET', `/api/v1/jobs/${job.id}/logs`)).body)
    expect(logs).toContain('nests deeper than 100 levels')
  })

  it('a context stored 2,000 levels deep (before this limit) is answered, not a 500', async () => {
    const yaml = `workspace: attack\ndagName: stored\ntype: flow\ntasks:\n  - category: pass\n    name: a\n`
    expect((await rill.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json', yaml, 'text/plain')).status).toBe(200)
    const executionId = await rill.submit('attack:stored', { x: 1 })
    const job = await endedJob(executionId)
    t.app.store.db
      .prepare("INSERT INTO job_values (job_id, name, value) VALUES (?, 'context', ?) ON CONFLICT (job_id, name) DO UPDATE SET value = excluded.value")
      .run(job.id, `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`)
    const { statuses } = await views(executionId, job.id)
    expect(statuses).toEqual({ get: 200, brief: 200, context: 200, native: 200 })
  })
})
