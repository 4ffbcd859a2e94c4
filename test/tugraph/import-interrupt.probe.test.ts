// An import through TuGraph's API in the app's own process, interrupted both ways a user meets:
// cancelled through the native jobs API (it is a JobDesk job), then resumed by its task id
// (TuGraph's resume) and killed with -9 mid-import. After the restart the engine takes the task up
// again: import_progress tells the truth throughout (the committed packages counted, never reset),
// and at the end every line is in the graph exactly once.
import { expect, it } from 'vitest'
import { graphFile } from '../../electron/graph/store/catalog'
import { GraphDb } from '../../electron/graph/store/graph-db'
import { PERSON_SCHEMA, personFile } from '../graph/support'
import { probeWhile, servedProcessSuite } from '../support/served-process'
import { expectOk, tugraphClient, type TuGraphClient } from './support'

const LINES = 1_200_000 // about 34 MB: three packages of 16 MiB

const served = servedProcessSuite({ start: false })

/** Polls import_progress until `until` holds for its data; returns that data. */
async function progressUntil(c: TuGraphClient, taskId: string, until: (d: any) => boolean, timeoutMs = 60_000): Promise<any> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const d = expectOk(await c.post('import_progress', { taskId }))
    if (until(d)) return d
    if (d.state !== '1') throw new Error(`import ended before expected: ${JSON.stringify(d).slice(0, 500)}`)
    if (Date.now() > end) throw new Error(`still: ${JSON.stringify(d).slice(0, 500)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

function people(): Buffer {
  const parts: Buffer[] = []
  for (let i = 0; i < LINES; i += 50_000) {
    let chunk = ''
    for (let k = i; k < Math.min(LINES, i + 50_000); k++) chunk += `${k},name number ${k},${k % 100}\n`
    parts.push(Buffer.from(chunk))
  }
  return Buffer.concat(parts)
}

it('cancels through the native API, resumes by task id, survives kill -9 and restart with honest progress and every line once', async () => {
  await served.start()
  const c = tugraphClient(served.url)
  await c.login()
  expectOk(await c.post('import_schema', { graph: 'default', description: PERSON_SCHEMA }))
  await c.upload('people.csv', people())
  const request = { graph: 'default', delimiter: ',', continueOnError: false, skipPackages: '0', schema: { files: [personFile('people.csv')] } }

  // 1. cancel through the native jobs API once a package is committed
  const { taskId, jobId } = expectOk(await c.post('import_data', request))
  const { probe } = await probeWhile(served, async () => {
    const running = await progressUntil(c, taskId, (d) => d.packagesDone >= 1)
    expect(running).toMatchObject({ state: '1', status: 'running', jobId })
    expect(Number(running.progress)).toBeGreaterThan(0)
    const cancel = await fetch(`${served.url}/api/v1/jobs/${jobId}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${served.token}` } })
    expect(cancel.status).toBe(200)
  })
  console.log(`status probe during the import: ${probe.count} probes, slowest ${probe.maxMs.toFixed(0)} ms`)
  expect(probe.failures).toEqual([])
  const cancelled = await progressUntil(c, taskId, (d) => d.state !== '1', 10_000)
  expect(cancelled).toMatchObject({ state: '3', status: 'cancelled', failed: 0 })
  expect(cancelled.reason).toMatch(/cancel/i)
  expect(cancelled.imported).toBeGreaterThan(0)
  expect(cancelled.imported).toBeLessThan(LINES)

  // 2. resume by task id (TuGraph's way), then kill -9 once it committed one more package
  expect(expectOk(await c.post('import_data', { ...request, taskId })).taskId).toBe(taskId)
  const beforeKill = await progressUntil(c, taskId, (d) => d.packagesDone > cancelled.packagesDone)
  await served.kill('SIGKILL')
  expect(beforeKill.imported).toBeGreaterThan(cancelled.imported)

  // 3. restart on the same data: the token still works (tokens are on record), the import carries on
  await served.start()
  const after = tugraphClient(served.url)
  after.token = c.token
  const first = expectOk(await after.post('import_progress', { taskId }))
  expect(['1', '2']).toContain(first.state)
  expect(first.packagesDone).toBeGreaterThanOrEqual(beforeKill.packagesDone) // the committed packages are counted, not lost
  expect(first.imported).toBeGreaterThanOrEqual(beforeKill.imported)
  const done = await progressUntil(after, taskId, (d) => d.state !== '1')
  expect(done).toMatchObject({ state: '2', status: 'succeeded', jobId, imported: LINES, failed: 0 })
  expect(done.files[0]).toMatchObject({ lines: LINES, imported: LINES, failed: 0, rolledBack: 0 })
  const logs = await fetch(`${served.url}/api/v1/jobs/${jobId}/logs?from=0&size=1000`, { headers: { authorization: `Bearer ${served.token}` } })
  expect(((await logs.json()) as { lines: { text: string }[] }).lines.map((l) => l.text).join('\n')).toMatch(/interrupted and runs again/)
  await served.kill()

  // every line exactly once, vids without a gap
  const g = GraphDb.open('default', graphFile(served.dir, 'default'))
  try {
    expect(g.db.prepare('SELECT count(*) AS n, min(vid) AS lo, max(vid) AS hi, count(DISTINCT p0) AS keys FROM v_0').get()).toEqual({ n: LINES, lo: 0, hi: LINES - 1, keys: LINES })
  } finally {
    g.close()
  }
}, 180_000)
