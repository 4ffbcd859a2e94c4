// One JobDesk per data folder (newuser4 #1): a second start on a folder in use is refused before it
// opens the store, so it cannot take the first one's running jobs for a crash's and fail them. In one
// process here (SQLite refuses a second lock of the same process too); across processes, and after
// kill -9, in test/e2e/serve-one-per-data.e2e.test.ts.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { startApp, type JobDeskApp } from '../electron/app'
import { DataDirInUseError, lockDataDir, NOTE_FILE, type InstanceLock } from '../electron/instance-lock'
import { startTestApp, waitForStatus, type TestApp } from './support/app'
import { tempDir } from './support/temp-store'

const cleanups: (() => unknown)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})
const folder = () => {
  const dir = tempDir()
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
const lock = (dir: string): InstanceLock => {
  const l = lockDataDir(dir)
  cleanups.push(() => l.release())
  return l
}
const refusal = (take: () => unknown): DataDirInUseError => {
  try {
    take()
  } catch (e) {
    expect(e).toBeInstanceOf(DataDirInUseError)
    return e as DataDirInUseError
  }
  throw new Error('the second lock was granted')
}

describe('the data folder lock', () => {
  it('refuses a second holder, naming the first one (pid, since when, its URL), until the first lets go', () => {
    const dir = folder()
    const first = lock(dir)
    const before = refusal(() => lockDataDir(dir))
    expect(before.message).toMatch(new RegExp(`^JobDesk is already running on the data folder ${dir} \\(pid ${process.pid} since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\); stop it, or choose another folder with --data$`))
    first.announce('http://127.0.0.1:41234')
    expect(refusal(() => lockDataDir(dir)).message).toContain(`(pid ${process.pid} since `)
    expect(refusal(() => lockDataDir(dir)).message).toContain(' UTC, at http://127.0.0.1:41234); stop it')

    first.release()
    expect(existsSync(join(dir, NOTE_FILE))).toBe(false) // a stopped JobDesk leaves no note to be quoted
    const second = lock(dir)
    expect(JSON.parse(readFileSync(join(dir, NOTE_FILE), 'utf8'))).toMatchObject({ pid: process.pid, url: null })
    second.release()
    second.release() // twice is harmless
  })

  it('does not quote a note left by a process that is gone', () => {
    const dir = folder()
    lock(dir)
    const gone = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid // no longer alive
    writeFileSync(join(dir, NOTE_FILE), JSON.stringify({ pid: gone, startedAt: 0, url: 'http://127.0.0.1:1' }))
    const e = refusal(() => lockDataDir(dir))
    expect(e.holder).toBeUndefined()
    expect(e.message).toBe(`JobDesk is already running on the data folder ${dir}; stop it, or choose another folder with --data`)
  })
})

describe('one app per data folder', () => {
  it('refuses a second app on a folder in use, which keeps running its job to success; a start after close takes it', async () => {
    const t: TestApp = await startTestApp()
    let closed = false
    cleanups.push(() => (closed ? rmSync(t.dir, { recursive: true, force: true }) : t.close()))
    const go = join(t.dir, 'go') // the job runs until the test lets it end
    const job = await t.call('POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: `echo one; while [ ! -e '${go}' ]; do sleep 0.1; done; echo two` })
    await waitForStatus(t, job.body.id, ['running'])

    const second = await startApp({ dataDir: t.dir, host: '127.0.0.1', port: 0, concurrency: 2 }).then(
      (app) => app,
      (e: unknown) => e,
    )
    expect(second).toBeInstanceOf(DataDirInUseError)
    expect((second as Error).message).toContain(`(pid ${process.pid} since `)
    expect((second as Error).message).toContain(`, at ${t.url}); stop it, or choose another folder with --data`)

    expect(t.app.store.jobs.get(job.body.id)?.status).toBe('running')
    writeFileSync(go, '')
    const done = await waitForStatus(t, job.body.id, ['succeeded', 'failed'])
    expect(done.status).toBe('succeeded') // not "interrupted" by a second start's recovery
    const { body: log } = await t.call('GET', `/api/v1/jobs/${job.body.id}/logs`)
    expect(log.lines.map((l: { text: string }) => l.text)).toEqual(['one', 'two'])

    await t.app.close()
    closed = true
    const again: JobDeskApp = await startApp({ dataDir: t.dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    cleanups.push(() => again.close())
    expect(again.store.jobs.get(job.body.id)?.status).toBe('succeeded')
  })

  it('lets the folder go when the start fails later (a port in use), so that a retry can take it', async () => {
    const dir = folder()
    const busy: Server = createServer()
    await new Promise<void>((ok) => busy.listen(0, '127.0.0.1', ok))
    cleanups.push(() => new Promise((ok) => busy.close(ok)))
    const port = (busy.address() as { port: number }).port
    await expect(startApp({ dataDir: dir, host: '127.0.0.1', port, concurrency: 2 })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    const app = await startApp({ dataDir: dir, host: '127.0.0.1', port: 0, concurrency: 2 })
    cleanups.push(() => app.close())
    expect(app.url).not.toContain(`:${port}`)
  })
})
