// A running job's state counts into what its user's jobs keep as it is written (store/kept-bytes.ts,
// migration 037), and a job whose own writes pass the quota is stopped (engine/kept-bytes-guard.ts,
// atk15): failed, its log saying why in the quota's words, what it would have added not stored; her
// next submit is refused until she deletes jobs, and deleting the job frees its room. Admins are
// exempt, as from the other quotas. Here the app holds a user to QUOTA (4 MiB); each job's chain of
// pass tasks over a 1 MB context would keep ~20 MB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_KEPT_OVERRUN } from '../../shared/quotas'
import { uuidOfExecutionId } from '../../electron/workflows/rillflow/runtime/names'
import { startTestApp, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
const QUOTA = 4 * MiB
const PASS_TASKS = 10

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ concurrency: 4, maxKeptBytesPerUser: QUOTA })
}, 60_000)
afterAll(() => t?.close())

const descriptor = (ws: string) =>
  `workspace: ${ws}\ndagName: fat\ntype: flow\ntasks:\n${Array.from({ length: PASS_TASKS }, (_, i) => {
    const next = i + 1 < PASS_TASKS ? `, next: p${i + 2}` : ''
    return `  - {category: pass, name: p${i + 1}${next}, inputMappings: [{source: $.context.s, target: $.input.s}]}`
  }).join('\n')}\n`

/** Stores the chain in workspace `ws` as `who`, submits it with a 1 MB context and waits for its end; its job id and status. */
async function runChain(who: Pick<TestUser, 'call'>, ws: string): Promise<{ status: number; jobId?: number; dagStatus?: string; body: any }> {
  const added = await who.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=${ws}&feature_name=fat&alias=release`, descriptor(ws), { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const submitted = await who.call('POST', `/flow/submit.json?descriptor_id=${ws}:fat`, { s: 'x'.repeat(1_000_000) })
  if (submitted.status !== 200) return { status: submitted.status, body: submitted.body }
  const executionId: string = submitted.body.execution_id
  const end = Date.now() + 120_000
  for (;;) {
    const r = await who.call('GET', `/flow/get.json?execution_id=${encodeURIComponent(executionId)}&brief=true`)
    const dagStatus = r.body?.ret?.dag_status
    if (dagStatus === 'SUCCEED' || dagStatus === 'FAILED') return { status: 200, jobId: t.app.store.jobs.idOfUuid(uuidOfExecutionId(executionId)), dagStatus, body: r.body }
    if (Date.now() > end) throw new Error(`execution ${executionId} still ${dagStatus}`)
    await new Promise((ok) => setTimeout(ok, 100))
  }
}

describe("a running job's state within its user's quota", () => {
  it('stops the job whose state passes the quota, says why, stores no more; deleting her jobs frees the room', { timeout: 300_000 }, async () => {
    const eve = await addUser(t, 'eve')
    const ran: number[] = []
    let refused: { status: number; body: any } | undefined
    while (!refused && ran.length < 5) {
      const run = await runChain(eve, 'eves')
      if (run.status !== 200) {
        refused = run
        break
      }
      ran.push(run.jobId!)
      expect(run.dagStatus).toBe('FAILED') // each alone would keep ~20 MB
      const job = t.app.store.jobs.getWithoutState(run.jobId!)!
      expect(job.error).toMatch(/^JobDesk could not save this job's state, so it was stopped: user eve's jobs keep [\d.]+ MiB \(result rows, code, logs and task values\), and a user's jobs keep at most 4 MiB: delete some finished jobs before running more$/)
      const warned = t.app.store.db.prepare("SELECT text FROM log_lines WHERE job_id = ? AND level = 'WARN'").pluck().all(run.jobId) as string[]
      expect(warned.some((l) => l.startsWith('not saved: the '))).toBe(true) // what its last writes would have added
      const jobs = t.app.store.db.prepare("SELECT id, input_bytes, log_bytes, state_bytes FROM jobs WHERE submitter = 'eve'").all()
      expect(t.app.store.keptBytes.ofSubmitter('eve'), JSON.stringify(jobs)).toBeLessThanOrEqual(QUOTA + MAX_KEPT_OVERRUN)
    }
    // her next submit is refused with the quota's words, until she deletes her jobs
    expect(refused?.status).toBe(403)
    expect(JSON.stringify(refused?.body)).toContain("and a user's jobs keep at most 4 MiB")
    for (const id of ran) expect((await eve.call('DELETE', `/api/v1/jobs/${id}`)).status).toBe(200)
    expect(t.app.store.keptBytes.ofSubmitter('eve')).toBe(0)
    const again = await runChain(eve, 'eves')
    expect(again.status).toBe(200)
    expect(again.dagStatus).toBe('FAILED') // and it is held to the quota again
  })

  it('never stops an admin’s', { timeout: 300_000 }, async () => {
    const run = await runChain({ call: t.call }, 'adm')
    expect(run.dagStatus).toBe('SUCCEED')
    expect(t.app.store.keptBytes.ofSubmitter('admin')).toBeGreaterThan(4 * QUOTA) // ~20 MB: counted, not bounded
  })
})
