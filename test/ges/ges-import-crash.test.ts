// #9, fixges4: a GES import splits its files into a work folder `<upload folder>/.ges-import/<job>`
// and removes it when the task ends. A JobDesk killed mid-import left the folder (and its split
// files, as big as the data) forever: nothing removed it at the next start. Recovery already failed
// the job (ges-import tasks are not run twice); the folder now goes too, in a graph worker.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { servedProcessSuite } from '../support/served-process'
import { gesToken, nativePost } from './support'

const app = servedProcessSuite()
const LINES = 400_000

const work = () => join(app.dir, 'upload_files', 'admin', '.ges-import')

describe('a GES import killed with -9 mid-import', () => {
  it('leaves no work folder after the restart, and its job says it was interrupted', async () => {
    expect((await nativePost(app, '/api/v1/graphs', { graph: 'crash' })).status).toBe(201)
    const vertices = Array.from({ length: LINES }, (_, i) => `v${i},P,name of vertex ${i}\n`).join('')
    const schema = '<labels><label name="P"><properties><property name="name" dataType="string"/></properties></label></labels>'
    expect((await nativePost(app, '/api/v1/files/upload?path=c/schema.xml&offset=0&replace=true', schema, 'application/octet-stream')).status).toBe(200)
    expect((await nativePost(app, '/api/v1/files/upload?path=c/v.csv&offset=0&replace=true', vertices, 'application/octet-stream')).status).toBe(200)
    const token = await gesToken(app.url)
    const res = await fetch(`${app.url}/v2/p1/graphs/crash/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ schema_path: 'c/schema.xml', vertexset_path: 'c/v.csv' }),
    })
    expect(res.status).toBe(200)
    const { job_id: jobId } = (await res.json()) as { job_id: string }
    // killed once the split has written a file into the job's work folder
    const folder = join(work(), jobId)
    for (const t0 = Date.now(); !(existsSync(folder) && readdirSync(folder).length > 0); ) {
      expect(Date.now() - t0, 'the work folder did not fill within 60 s').toBeLessThan(60_000)
      await new Promise((r) => setTimeout(r, 10))
    }
    await app.kill('SIGKILL')
    expect(readdirSync(folder).length).toBeGreaterThan(0) // as the crash left it

    await app.start()
    for (const t0 = Date.now(); readdirSync(work()).length > 0; ) {
      expect(Date.now() - t0, `the work folder is still there 30 s after the restart: ${readdirSync(work())}`).toBeLessThan(30_000)
      await new Promise((r) => setTimeout(r, 50))
    }
    const s = (await (await fetch(`${app.url}/v2/p1/graphs/crash/jobs/${jobId}/status`, { headers: { 'x-auth-token': await gesToken(app.url) } })).json()) as { status: string; fail_reason: string }
    expect(s).toMatchObject({ status: 'failed', fail_reason: expect.stringMatching(/interrupted: JobDesk stopped while this task was running/) })
    const auth = { headers: { authorization: `Bearer ${app.token}` } }
    const { items } = (await (await fetch(`${app.url}/api/v1/jobs?text=${jobId}`, auth)).json()) as { items: { id: number; uuid: string }[] }
    const id = items.find((j) => j.uuid === jobId)!.id
    const { text } = (await (await fetch(`${app.url}/api/v1/jobs/${id}/logs/text`, auth)).json()) as { text: string }
    expect(text).toMatch(new RegExp(`removed the work folder \\.ges-import/${jobId} this import left`))
  }, 300_000)
})
