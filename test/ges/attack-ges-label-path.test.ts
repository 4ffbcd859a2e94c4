// Attack (#9 §1/§3, GES import-graph): a GES schema file's label names are taken as written
// (ges-schema.ts checks none), and the import executor names each split file after the label,
// `join(<bob's upload folder>/.ges-import/<job>, "0.v.<label>.csv")`, and appends the rows to it on
// the main thread before anything checks the name. A label `/../../../../admin/persons` walks out of
// bob's folder: bob (a plain user who owns graph `bobs`) appended the line `999,mallory` to ADMIN's
// uploaded persons.csv (11 bytes became 23), which admin's next import of that file would load into
// admin's graph. Measured over real HTTP (npm run serve, load average 2.9): the job then failed with
// "task import: Cannot read properties of undefined (reading 'properties')", the write outside stayed,
// and the graph kept a vertex label named "/../../../../admin/persons" (a name the native schema API
// refuses). Uploaded paths must never leave the user's folder (DESIGN.md). This test FAILS until the
// split files' names cannot leave the work folder (and a bad label name is refused, naming it).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { upload } from '../graph/support'
import { gesToken } from './support'

let t: TestApp
let bob: TestUser

beforeAll(async () => {
  t = await startTestApp()
  bob = await addUser(t, 'bob')
  expect((await t.call('POST', '/api/v1/graphs', { graph: 'bobs', owner: 'bob' })).status).toBe(201)
}, 120_000)
afterAll(() => t.close())


const EVIL = '/../../../../admin/persons'

describe('attack: a GES schema label that names a path', () => {
  it('bob’s import-graph into his own graph leaves admin’s uploaded file untouched (it appended "999,mallory" to it)', async () => {
    const adminFile = upload(t.dir, 'persons.csv', '1,ann\n2,bo\n')
    upload(t.dir, 'g/schema.xml', `<?xml version="1.0"?><PMML version="3.0"><labels><label name="${EVIL}"><properties><property name="name" cardinality="single" dataType="string"/></properties></label></labels></PMML>`, 'bob')
    upload(t.dir, 'g/v.csv', `999,${EVIL},mallory\n`, 'bob')
    const token = await gesToken(t.url, bob.username, bob.password)
    const res = await fetch(`${t.url}/v2/p1/graphs/bobs/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ schema_path: 'g/schema.xml', vertexset_path: 'g/v.csv' }),
    })
    const body = (await res.json()) as { job_id?: string }
    if (res.status === 200) {
      const job = (await bob.call('GET', '/api/v1/jobs')).body.items.find((j: { uuid: string }) => j.uuid === body.job_id)
      await waitForStatus(t, job.id, ['succeeded', 'failed', 'cancelled'], 60_000)
    } else {
      expect(res.status, JSON.stringify(body)).toBe(400) // refused at once is fine too
    }
    expect(readFileSync(adminFile, 'utf8')).toBe('1,ann\n2,bo\n')
    expect(readFileSync(join(t.dir, 'upload_files', 'admin', 'persons.csv'), 'utf8')).not.toContain('mallory')
    const labels = (await t.call('GET', '/api/v1/graphs/bobs')).body.labels.map((l: { name: string }) => l.name)
    expect(labels).not.toContain(EVIL)
  }, 120_000)
})
