// #9 §4: a GES import-graph first splits the user's files per label (ges-split.ts), then imports the
// parts. While the split ran nothing said how far it was: the native status had no live figures ("0 B
// of 0 B" on the Imports page), TuGraph's import_progress said progress "0", GES's job_progress 0. The
// split now tells the bytes of the user's files it read of all and the file it reads (phase
// `splitting`), at most every SPLIT_PROGRESS_MS; the job's progress counts the split as its first
// SPLIT_SHARE, so it never goes back when the import starts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { splitGesFiles, SPLIT_PROGRESS_MS, type GesSplitProgress } from '../../electron/graph/ges/ges-split'
import { SPLIT_SHARE } from '../../electron/graph/ges/ges-report'
import { startTestApp, type TestApp } from '../support/app'
import { tugraphClient } from '../tugraph/support'
import { gesToken } from './support'
import { ADMIN } from '../graph/support'
import { writeBigVertexFile, GES_USER_SCHEMA } from './split-files'

describe('splitGesFiles tells its progress, throttled', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ges-split-progress-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const label = { kind: 'vertex' as const, name: 'user', properties: [{ name: 'Name', type: 'STRING' as const }] }

  it('tells at the first file, then at most once every SPLIT_PROGRESS_MS of its clock, whatever the lines or files', () => {
    const work = join(dir, 'w1')
    mkdirSync(work)
    const files = Array.from({ length: 300 }, (_, i) => {
      const file = join(dir, `v${i}.csv`)
      writeFileSync(file, Array.from({ length: 20 }, (_, k) => `u${i}_${k},user,N${k}\n`).join(''))
      return { path: `g/v${i}.csv`, file }
    })
    let clock = 0
    const told: GesSplitProgress[] = []
    // 6,000 lines, each read moving the clock by 1 ms: one word per SPLIT_PROGRESS_MS, never one per line or file
    const result = splitGesFiles({ workDir: work, vertexFiles: files, edgeFiles: [], delimiter: ',', graphLabels: [label] }, () => false, (p) => told.push(p), () => clock++)
    expect(result.parts.length).toBeGreaterThan(0)
    expect(told[0]).toEqual({ bytesRead: 0, bytesTotal: result.bytes.total, file: 'g/v0.csv' })
    expect(told.length).toBeLessThanOrEqual(Math.ceil(clock / SPLIT_PROGRESS_MS) + 1)
    expect(told.length).toBeGreaterThan(10)
    for (let i = 1; i < told.length; i++) expect(told[i].bytesRead).toBeGreaterThanOrEqual(told[i - 1].bytesRead)
    expect(told.at(-1)!.file).toMatch(/^g\/v2\d\d\.csv$/)
    // a frozen clock: one word for all 300 files
    const still: GesSplitProgress[] = []
    const work2 = join(dir, 'w2')
    mkdirSync(work2)
    splitGesFiles({ workDir: work2, vertexFiles: files, edgeFiles: [], delimiter: ',', graphLabels: [label] }, () => false, (p) => still.push(p), () => 5)
    expect(still).toHaveLength(1)
  })
})

describe('a GES import while it splits its files', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  }, 60_000)
  afterAll(() => t?.close())

  it('says how far the split is in the native status, TuGraph’s import_progress and GES’s job status, and its progress never goes back', async () => {
    await t.app.graph.createGraph('splitlive', ADMIN)
    mkdirSync(join(t.dir, 'upload_files/admin/big'), { recursive: true })
    writeFileSync(join(t.dir, 'upload_files/admin/big/schema.xml'), GES_USER_SCHEMA)
    const bytes = writeBigVertexFile(join(t.dir, 'upload_files/admin/big/people.csv'))
    const token = await gesToken(t.url)
    const tugraph = tugraphClient(t.url)
    await tugraph.login()
    const res = await fetch(`${t.url}/v2/p1/graphs/splitlive/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ schema_path: 'big/schema.xml', vertexset_path: 'big/people.csv' }),
    })
    expect(res.status).toBe(200)
    const jobId = ((await res.json()) as { job_id: string }).job_id
    const started = Date.now()
    const seen: { phase: string | null; bytesDone: number; bytesTotal: number; file: string | null; progress: number; at: number }[] = []
    const splitAnswers: { tugraph: any; ges: any }[] = []
    for (;;) {
      const s = await t.app.graph.importStatus(jobId)
      if (s.status !== 'queued' && s.status !== 'running') break
      seen.push({ phase: s.live?.phase ?? null, bytesDone: s.live?.bytesDone ?? 0, bytesTotal: s.live?.bytesTotal ?? 0, file: s.live?.file ?? null, progress: s.progress, at: Date.now() - started })
      if (s.live?.phase === 'splitting' && s.live.bytesDone > 0 && splitAnswers.length < 3) {
        const tg = (await tugraph.post('import_progress', { taskId: jobId })).body
        const ges = await (await fetch(`${t.url}/v2/p1/graphs/splitlive/jobs/${jobId}/status`, { headers: { 'x-auth-token': token } })).json()
        splitAnswers.push({ tugraph: tg, ges })
      }
      // a few looks at the import after the split are enough: the rest of it is other tests' ground
      if (seen.filter((x) => x.phase === 'importing').length >= 5 && s.status === 'running') t.app.graph.cancelImport(jobId, ADMIN)
      await new Promise((r) => setTimeout(r, 20))
    }
    const splitting = seen.filter((s) => s.phase === 'splitting' && s.bytesDone > 0)
    const firstImport = seen.find((s) => s.phase === 'importing')
    const lastSplit = seen.filter((s) => s.phase === 'splitting').at(-1)
    console.log(`split seen until ${lastSplit?.at ?? '-'} ms, the import from ${firstImport?.at ?? '-'} ms; ${seen.length} polls, ${splitting.length} mid-split`)
    expect(splitting.length, `no poll saw the split's bytes: ${JSON.stringify(seen.slice(0, 5))}`).toBeGreaterThan(1)
    for (const s of splitting) {
      expect(s).toMatchObject({ bytesTotal: bytes, file: 'big/people.csv' })
      expect(s.bytesDone).toBeLessThanOrEqual(bytes)
      expect(s.progress).toBeCloseTo((SPLIT_SHARE * s.bytesDone) / bytes, 6)
    }
    expect(new Set(splitting.map((s) => s.bytesDone)).size).toBeGreaterThan(1) // it moves
    // the job's progress over both phases: never back, the split's share first
    for (let i = 1; i < seen.length; i++) expect(seen[i].progress).toBeGreaterThanOrEqual(seen[i - 1].progress)
    expect(seen.filter((s) => s.phase === 'importing').every((s) => s.progress >= SPLIT_SHARE)).toBe(true)
    // TuGraph's client reads state "1" and progress, a fraction as a string; GES's a running status and job_progress, a double
    expect(splitAnswers.length).toBeGreaterThan(0)
    for (const { tugraph: tg, ges } of splitAnswers) {
      expect(tg).toMatchObject({ errorCode: '200', data: { state: '1', phase: 'splitting', file: 'big/people.csv', bytesTotal: bytes } })
      expect(typeof tg.data.progress).toBe('string')
      expect(Number(tg.data.progress)).toBeGreaterThan(0)
      expect(Number(tg.data.progress)).toBeLessThanOrEqual(SPLIT_SHARE)
      expect(ges.status).toBe('running')
      expect(typeof ges.job_progress).toBe('number')
      expect(ges.job_progress).toBeGreaterThan(0)
      expect(ges.job_progress).toBeLessThanOrEqual(SPLIT_SHARE)
    }
    expect(seen.filter((s) => s.phase === 'importing').length).toBeGreaterThan(0)
    await t.app.engine.waitFor(t.app.store.jobs.getByUuid(jobId)!.id)
    expect(await t.app.graph.importStatus(jobId)).toMatchObject({ status: 'cancelled', live: null })
  }, 300_000)

  // the split's share of the job's progress is of work it would hand on: cancelled, it hands on none
  // (nothing was imported), so the job ends at 0, not where the split was (the Jobs page read "cancelled, 9%")
  it('a GES import cancelled while it splits ends at 0% progress, as nothing was imported', async () => {
    await t.app.graph.createGraph('splitcancel', ADMIN)
    mkdirSync(join(t.dir, 'upload_files/admin/bigc'), { recursive: true })
    writeFileSync(join(t.dir, 'upload_files/admin/bigc/schema.xml'), GES_USER_SCHEMA)
    writeBigVertexFile(join(t.dir, 'upload_files/admin/bigc/people.csv'))
    const token = await gesToken(t.url)
    const res = await fetch(`${t.url}/v2/p1/graphs/splitcancel/import-graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-auth-token': token },
      body: JSON.stringify({ schema_path: 'bigc/schema.xml', vertexset_path: 'bigc/people.csv' }),
    })
    const jobId = ((await res.json()) as { job_id: string }).job_id
    const id = t.app.store.jobs.getByUuid(jobId)!.id
    let mid = 0
    for (;;) {
      const s = await t.app.graph.importStatus(jobId)
      expect(s.live?.phase ?? 'splitting', 'the split ended before the test saw it move').toBe('splitting')
      if (s.live && s.progress > 0) {
        mid = s.progress
        break
      }
      await new Promise((r) => setTimeout(r, 20))
    }
    t.app.graph.cancelImport(jobId, ADMIN)
    const job = await t.app.engine.waitFor(id)
    expect(mid).toBeGreaterThan(0)
    expect(job).toMatchObject({ status: 'cancelled', progress: 0 })
    expect(await t.app.graph.importStatus(jobId)).toMatchObject({ status: 'cancelled', progress: 0 })
    const ges = await (await fetch(`${t.url}/v2/p1/graphs/splitcancel/jobs/${jobId}/status`, { headers: { 'x-auth-token': token } })).json()
    expect(ges).toMatchObject({ status: 'failed', job_progress: 0 })
  }, 120_000)
})
