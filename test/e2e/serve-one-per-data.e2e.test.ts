// One `serve` per data folder (newuser4 #1): a second `npm run serve` on a folder in use used to start,
// take the first one's running job for a crash's leftover and fail it ("interrupted"), kill its
// processes and break the first one's log writes. Now it refuses with a message and exit code 1, and
// the first carries on; after a kill -9 of the first, the OS has let go of its lock and the next
// start takes the folder at once. The built serve in real processes, as a person starts it.
import { spawn } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { api, apiLogin, startServe, type ServeProcess } from './support'

const started: ServeProcess[] = []
afterAll(async () => {
  for (const s of started) await s.halt('SIGKILL')
  if (started[0]) rmSync(started[0].dataDir, { recursive: true, force: true })
})

/** Runs the built serve on `dataDir` to its end; resolves with its exit code and what it wrote to stderr. */
function serveUntilExit(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [resolve(__dirname, '../../out/main/serve.js'), '--port', '0', '--data', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  let stdout = ''
  child.stderr!.on('data', (b: Buffer) => (stderr += b))
  child.stdout!.on('data', (b: Buffer) => (stdout += b))
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000) // a second serve that started after all would never end
  return new Promise((ok) =>
    child.once('exit', (code) => {
      clearTimeout(timer)
      ok({ code, stderr: stderr + (stdout ? `\n(stdout: ${stdout})` : '') })
    }),
  )
}

async function waitForJob(url: string, token: string, id: number, statuses: string[]): Promise<any> {
  const end = Date.now() + 30_000
  for (;;) {
    const job = await api(url, token, 'GET', `/api/v1/jobs/${id}`)
    if (statuses.includes(job.status)) return job
    if (Date.now() > end) throw new Error(`job ${id} stayed ${job.status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('one serve per data folder', () => {
  it('refuses a second serve on a folder in use; the first runs its job to success; after kill -9 the next start takes the folder', async () => {
    const first = await startServe()
    started.push(first)
    const token = await apiLogin(first.url)
    // runs until the test lets it end, so that it certainly runs while the second serve starts
    const go = join(first.dataDir, 'go')
    const job = await api(first.url, token, 'POST', '/api/v1/jobs', { type: 'script', language: 'shell', code: `echo waiting; while [ ! -e '${go}' ]; do sleep 0.1; done; echo done` })
    await waitForJob(first.url, token, job.id, ['running'])

    const second = await serveUntilExit(first.dataDir)
    expect(second.code).toBe(1)
    expect(second.stderr).toMatch(
      new RegExp(`^jobdesk: JobDesk is already running on the data folder ${first.dataDir} \\(pid ${first.process.pid} since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC, at ${first.url}\\); stop it, or choose another folder with --data\\n$`),
    )

    expect((await api(first.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status).toBe('running')
    writeFileSync(go, '')
    const done = await waitForJob(first.url, token, job.id, ['succeeded', 'failed', 'cancelled'])
    expect(done.status).toBe('succeeded') // not failed as "interrupted" by the second one's recovery
    const { lines } = await api(first.url, token, 'GET', `/api/v1/jobs/${job.id}/logs`)
    expect(lines.map((l: { text: string }) => l.text)).toEqual(['waiting', 'done'])

    // A crash: the kernel drops the lock with the process, and the note it left names a process that is gone.
    expect(await first.halt('SIGKILL')).toBe('SIGKILL')
    const next = await startServe({ dataDir: first.dataDir })
    started.push(next)
    expect(JSON.parse(readFileSync(join(first.dataDir, 'instance.json'), 'utf8'))).toMatchObject({ pid: next.process.pid, url: next.url })
    const again = await api(next.url, await apiLogin(next.url), 'GET', `/api/v1/jobs/${job.id}`)
    expect(again.status).toBe('succeeded')
  })
})
