import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { createPythonExecutor, createShellExecutor } from '../../electron/executors/process'
import { groupMembers } from '../../electron/executors/process-tree'
import { makeEngine, submit } from '../support/engine'
import { tempStore } from '../support/temp-store'
import type { Engine } from '../../electron/engine/engine'

let cleanup: (() => void) | undefined
let engine: Engine | undefined
afterEach(() => {
  engine?.stop()
  cleanup?.()
})

function setup(o: { keepResults?: boolean } = {}) {
  const t = tempStore()
  cleanup = t.cleanup
  const options = { workRoot: join(t.dir, 'work'), killGraceMs: 500, ...(o.keepResults ? { results: t.store.results } : {}) }
  engine = makeEngine(t.store, { executors: [createShellExecutor(options), createPythonExecutor(options)] })
  return { ...t, engine }
}

const shell = (code: string, extra: object = {}) => [{ name: 'main', executor: 'shell', spec: { code }, ...extra }]

describe('shell executor', () => {
  it('logs stdout as INFO and stderr at the level it states (else INFO), in its own working folder', async () => {
    const { engine, store, dir } = setup()
    const job = submit(engine, shell('echo out; echo "error: bad" >&2; echo "WARNING: old" >&2; echo err >&2; printf "no newline"; pwd'))
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    const lines = store.logs.read(job.id, 0, 100).lines
    expect(lines.filter((l) => l.level === 'ERROR').map((l) => l.text)).toEqual(['error: bad'])
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.text)).toEqual(['WARNING: old'])
    const info = lines.filter((l) => l.level === 'INFO').map((l) => l.text)
    expect(info.sort()).toEqual(['err', `no newline${join(dir, 'work', job.uuid)}`, 'out'].sort())
    expect(lines.every((l) => l.task === 'main')).toBe(true)
  })

  it('keeps running when the store refuses its output rows: the log keeps every line, the result set ends partial with the reason', async () => {
    // the output's rows are written from the pipes' handlers, where a throw ended the process (a store
    // locked past its busy timeout did, under a checkpoint that held the write lock for seconds)
    const { engine, store } = setup({ keepResults: true })
    store.db.exec(`CREATE TRIGGER refuse_rows BEFORE INSERT ON result_rows WHEN NEW.row_no >= 200 BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`)
    const job = submit(engine, shell('for i in $(seq 1 1000); do echo line $i; done'))
    expect((await engine.waitFor(job.id)).status).toBe('succeeded')
    const lines = store.logs.read(job.id, 0, 2000).lines
    expect(lines.filter((l) => l.text.startsWith('line ')).length).toBe(1000)
    expect(lines.filter((l) => l.level === 'WARN').map((l) => l.text)).toEqual(['the output is no longer kept as a result set (its log keeps every line): database or disk is full'])
    const [set] = store.results.list(job.id)
    expect(set).toMatchObject({ kind: 'text', rowCount: 200, state: 'partial' })
  })

  it('fails with the exit code', async () => {
    const { engine, store } = setup()
    const job = submit(engine, shell('echo about to fail; exit 3'))
    const done = await engine.waitFor(job.id)
    expect(done.status).toBe('failed')
    expect(store.jobs.tasks(job.id)[0]).toMatchObject({ error: 'script failed: exit code 3', output: { exitCode: 3, signal: null } })
  })

  it('cancel kills the whole process group within two seconds', async () => {
    const { engine, store } = setup()
    const job = submit(engine, shell('sleep 300 & sleep 300 & wait'))
    await expect.poll(() => store.jobs.tasks(job.id)[0].runtime?.pgid, { timeout: 3000 }).toBeTypeOf('number')
    const pgid = store.jobs.tasks(job.id)[0].runtime!.pgid as number
    await expect.poll(() => groupMembers(pgid, null).length, { timeout: 3000 }).toBe(3) // the shell forks its two sleeps
    const started = Date.now()
    engine.cancel(job.id)
    const done = await engine.waitFor(job.id)
    expect(Date.now() - started).toBeLessThan(2000)
    expect(done.status).toBe('cancelled')
    expect(groupMembers(pgid, null)).toEqual([])
  })

  it('a timeout stops the script too', async () => {
    const { engine, store } = setup()
    const job = submit(engine, shell('sleep 30', { timeoutMs: 300 }))
    await expect.poll(() => store.jobs.tasks(job.id)[0].runtime?.pgid, { timeout: 3000 }).toBeTypeOf('number')
    const pgid = store.jobs.tasks(job.id)[0].runtime!.pgid as number
    expect((await engine.waitFor(job.id)).status).toBe('timed_out')
    await expect.poll(() => groupMembers(pgid, null), { timeout: 2000 }).toEqual([])
  })

  it('leaves no background process behind when a script finishes', async () => {
    const { engine, store } = setup()
    const job = submit(engine, shell('(sleep 300 >/dev/null 2>&1 &); echo started'))
    await engine.waitFor(job.id)
    const pgid = store.jobs.tasks(job.id)[0].runtime!.pgid as number
    await expect.poll(() => groupMembers(pgid, null), { timeout: 2000 }).toEqual([])
  })

  it('a missing python3 fails at once with a message that says so (started in a run cgroup or not)', async () => {
    const { engine, store, dir } = setup()
    const path = process.env.PATH
    process.env.PATH = dir // holds no python3; scripts read PATH as they start
    try {
      const job = submit(engine, [{ name: 'main', executor: 'python', spec: { code: 'print(1)' } }])
      const done = await engine.waitFor(job.id)
      expect(done.status).toBe('failed')
      expect(store.jobs.tasks(job.id)[0]).toMatchObject({ status: 'failed', error: 'python3 was not found on PATH: install Python 3 to run python scripts' })
    } finally {
      process.env.PATH = path
    }
  })
})
