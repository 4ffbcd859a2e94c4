// atk15 finding (MEDIUM): what a user granted nothing stores as Rill Flow descriptors is bounded in
// count only (shared/workflow-limits.ts: 2,000 workflows of 200 versions each), not in bytes: each
// version may be 1 MiB of text (descriptor/limits.ts maxChars), stored as sent (workflows.source) and
// parsed (workflows.parsed), so one user may keep 400,000 versions of ~1 MiB or more, hundreds of GB,
// with no per-user byte quota (jobs have MAX_KEPT_BYTES_PER_USER, saved scripts
// MAX_SAVED_SCRIPT_BYTES_PER_USER, uploads theirs) and no check of the disk reserve (disk-reserve.ts is
// asked for new jobs and uploads only). Once the disk is down to its reserve, every user's jobs are
// refused, and past it SQLite can no longer commit anyone's sign-in or job end.
// Here the reserve is set above the test disk's free space, as disk-reserve.test.ts does: the test
// expects a new descriptor version to be refused as new jobs are (503 disk_nearly_full), nothing stored.
// On main (3d29a678): all 8 versions stored in 0.4 s (~20 MiB/s) with the reserve in force, 0.95 MiB
// a version: 2,000 workflows x 200 versions would be ~373 GiB for one user.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, type TestApp } from '../support/app'
import { PAST_ANY_DISK } from '../support/disk-reserve'
import { addUser, type TestUser } from '../support/users'

const MiB = 1024 * 1024
/** Versions she stores at most here (each ~1 MB of text). */
const VERSIONS = 8

let t: TestApp
let eve: TestUser
beforeAll(async () => {
  t = await startTestApp({ diskReserveBytes: PAST_ANY_DISK })
  eve = await addUser(t, 'eve') // no rights: storing a descriptor needs none
}, 60_000)
afterAll(() => t?.close())

/** A descriptor of one pass task after a comment of ~1,000,000 characters; `n` makes each text (its md5, its version) new. */
const descriptor = (n: number) => `# ${String(n).padStart(6, '0')}${'x'.repeat(999_000)}\nworkspace: eves\ndagName: big\ntype: flow\ntasks:\n  - {category: pass, name: only}\n`

/** Bytes the database holds (its pages in use). */
const dbBytes = () => {
  const db = t.app.store.db
  return ((db.pragma('page_count', { simple: true }) as number) - (db.pragma('freelist_count', { simple: true }) as number)) * (db.pragma('page_size', { simple: true }) as number)
}

describe("a user's stored descriptors", () => {
  it('are refused, as new jobs are, while the disk is down to its reserve', { timeout: 120_000 }, async () => {
    // the reserve is in force: a new job is refused
    const job = await eve.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code: 'SELECT 1' })
    expect(job.status).toBe(503)

    const before = dbBytes()
    const started = Date.now()
    const answers: { status: number; body: any }[] = []
    for (let n = 0; n < VERSIONS; n++) {
      answers.push(await eve.call('POST', '/flow/bg/manage/descriptor/add_descriptor.json?business_id=eves&feature_name=big&alias=release', descriptor(n), { 'content-type': 'text/plain' }))
    }
    const seconds = (Date.now() - started) / 1000
    const grown = dbBytes() - before
    const stored = answers.filter((a) => a.status === 200).length
    console.log(
      `with the disk down to its reserve, eve stored ${stored} of ${VERSIONS} descriptor versions of ~1 MB in ${seconds.toFixed(1)} s; the database grew ${(grown / MiB).toFixed(1)} MiB ` +
        `(${(grown / Math.max(stored, 1) / MiB).toFixed(2)} MiB a version: 2,000 workflows x 200 versions would be ${((grown / Math.max(stored, 1)) * 400_000 / 1024 ** 3).toFixed(0)} GiB); first answer: ${answers[0]!.status} ${JSON.stringify(answers[0]!.body).slice(0, 200)}`,
    )
    expect(answers[0]!.status).toBe(503)
    expect(JSON.stringify(answers[0]!.body)).toMatch(/disk_nearly_full|JobDesk keeps in reserve/)
    expect(stored).toBe(0)
  })
})
