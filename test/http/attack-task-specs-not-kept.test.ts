// atk17 finding (MEDIUM): the kept-bytes quota (shared/quotas.ts MAX_KEPT_BYTES_PER_USER; migration 037)
// counts a task's input, output and runtime but not its spec: tasks.spec (inline up to
// TASK_SPEC_INLINE_MAX, 2,048 chars) nor task_specs rows. A Rill Flow task's spec is its descriptor
// definition, so a foreach whose sub-tasks each carry a definition of ~1.9 KB (a description of 1,800
// characters keeps it under 2,048: stored inline, not as a shared part, which 037 does count) stores
// it once per item and sub-task. On main (eb7076ec), a user granted nothing, quota 4 MiB: one execution
// of a foreach over 2,000 items x 20 pass tasks succeeded in ~45 s, its 40,000 tasks store 74.0 MiB of
// specs while her kept bytes read 0.23 MiB, and her next submit is taken (201). Repeated (tasks end,
// so the held-work bound never stops it) she fills the disk down to the reserve past any quota,
// which then refuses every other user's writes. The test expects her kept bytes to count the specs
// stored, or her next submit to be refused.
import { beforeAll, describe, expect, it } from 'vitest'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { waitForStatus, type TestApp } from '../support/app'
import { appSuiteWith } from '../support/app-suite'
import type { TestUser } from '../support/users'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB
/** Items of the foreach, and pass tasks in each of its groups. */
const ITEMS = 2_000
const PER_GROUP = 20
/** A description that keeps each task's spec (its definition, group and execution id) just under 2,048 characters: stored inline in tasks.spec. */
const DESCRIPTION = 'd'.repeat(1_800)

const suite = appSuiteWith({ concurrency: 4, maxKeptBytesPerUser: QUOTA }, 'eve')
let t: TestApp
let eve: TestUser
beforeAll(() => ({ t, users: { eve } } = suite))

const DESCRIPTOR =
  'workspace: eves\ndagName: specs\ntype: flow\ntasks:\n  - category: foreach\n    name: fe\n    inputMappings: [{target: $.input.items, source: $.context.items}]\n    iterationMapping: {collection: $.input.items, item: it}\n    tasks:\n' +
  Array.from({ length: PER_GROUP }, (_, i) => `      - {category: pass, name: p${i}, description: ${DESCRIPTION}}`).join('\n') +
  '\n'

describe("what a user's jobs keep and their tasks' specs", () => {
  it('counts the specs her jobs store on disk', { timeout: 600_000 }, async () => {
    const added = await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=specs&alias=release', DESCRIPTOR, { 'content-type': 'text/plain' })
    expect(added.status, JSON.stringify(added.body)).toBe(200)
    const r = await eve.call('POST', '/flow/submit.json?descriptor_id=eves:specs', { items: Array.from({ length: ITEMS }, (_, i) => i) })
    expect(r.status, JSON.stringify(r.body)).toBe(200)
    const job = t.app.store.jobs.getByUuid(uuidOfExecutionId(r.body.execution_id))!
    await waitForStatus(t, job.id, ['succeeded', 'failed'], 400_000)
    const specs = t.app.store.db
      .prepare<[number], number>('SELECT sum(octet_length(spec)) + coalesce((SELECT sum(octet_length(s.spec)) FROM task_specs s JOIN tasks x ON x.id = s.task_id WHERE x.job_id = t.job_id), 0) FROM tasks t WHERE job_id = ?')
      .pluck()
      .get(job.id)!
    const kept = t.app.store.keptBytes.ofSubmitter('eve')
    const next = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1' })
    console.log(
      `job ${t.app.store.jobs.get(job.id)!.status}: ${ITEMS * PER_GROUP} tasks store ${(specs / MiB).toFixed(1)} MiB of specs; her kept bytes ${(kept / MiB).toFixed(2)} MiB (quota ${QUOTA / MiB} MiB); her next submit: ${next.status}`,
    )
    expect(kept >= specs || next.status === 403, `${(specs / MiB).toFixed(1)} MiB of specs stored, kept ${(kept / MiB).toFixed(2)} MiB, next submit ${next.status}`).toBe(true)
  })
})
