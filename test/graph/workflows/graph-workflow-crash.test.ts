// A kill -9 in the middle of a graph workflow job: after a restart on the same data the job is
// found, its finished component kept, the interrupted one failed with the reason; "rerun from
// failed" then runs only that component again, reading the kept upstream result.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { servedProcessSuite } from '../../support/served-process'

const served = servedProcessSuite({ start: false })

const call = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${served.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${served.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return (await res.json()) as any
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await read()
    if (ok(v)) return v
    if (Date.now() > end) throw new Error(`${what}: still ${JSON.stringify(v).slice(0, 300)}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

describe('graph workflow jobs across a crash', () => {
  it('keeps the finished component and reruns the interrupted one', async () => {
    const folder = join(served.dir, 'upload_files', 'admin')
    mkdirSync(folder, { recursive: true })
    writeFileSync(join(folder, 'tri.csv'), '1,2\n2,3\n3,1\n')
    const lines: string[] = []
    for (let i = 0; i < 20_000; i++) lines.push(`${i},${(i + 1) % 20_000}`, `${i},${(i * 7 + 3) % 20_000}`, `${i},${(i * 13 + 5) % 20_000}`)
    writeFileSync(join(folder, 'ring.csv'), lines.join('\n'))
    await served.start()
    //   TriangleCount_1 (OPT 1) ──COUNT──► ITERATIONS of Betweenness_1 (exact Brandes on 60,000 edges: long)
    const wf = await call('POST', '/api/v1/graph-workflows', {
      document: {
        name: 'crash',
        components: [
          { id: 'TriangleCount_1', kind: 'algorithm', algorithm: 'TriangleCount', input: { kind: 'file', path: 'tri.csv' }, params: { OPT: '1' } },
          { id: 'Betweenness_1', kind: 'algorithm', algorithm: 'BetweennessCentrality', input: { kind: 'file', path: 'ring.csv' } },
        ],
        wires: [{ from: { component: 'TriangleCount_1', anchor: 'COUNT' }, to: { component: 'Betweenness_1', anchor: 'ITERATIONS' } }],
      },
    })
    const { id } = await call('POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    await until(() => call('GET', `/api/v1/jobs/${id}`), (j) => j.tasks?.[1]?.status === 'running' && j.progress > 0, 'Betweenness_1 under way')
    const before = await call('GET', `/api/v1/jobs/${id}`)

    await served.kill('SIGKILL')
    await served.start()
    const after = await until(() => call('GET', `/api/v1/graph-workflows/jobs/${id}`), (v) => v.job?.status === 'failed', 'the interrupted job')
    expect(after.components.map((c: any) => c.status)).toEqual(['succeeded', 'failed'])
    expect(after.components[1].error).toMatch(/interrupt/i)
    expect(after.components[0].rows).toBe(1)

    const redo = await call('POST', `/api/v1/graph-workflows/jobs/${id}/rerun`, { from: 'failed' })
    expect(redo).toMatchObject({ id, status: 'running' })
    const running = await until(() => call('GET', `/api/v1/jobs/${id}`), (j) => j.tasks[1].status === 'running' && j.tasks[1].attempt === 1, 'the rerun')
    // the finished component did not run again
    expect([running.tasks[0].status, running.tasks[0].startedAt, running.tasks[0].attempt]).toEqual(['succeeded', before.tasks[0].startedAt, 1])
    await call('POST', `/api/v1/jobs/${id}/cancel`)
    await until(() => call('GET', `/api/v1/jobs/${id}`), (j) => j.status === 'cancelled', 'the cancel')
  }, 240_000)
})
