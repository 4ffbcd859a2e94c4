// The run grid over wide foreach runs (#9.2, #13.3), timed: one run of a 20,000-item foreach read
// whole answered in 1.75 s, and a page of 20 such runs held the server for half a minute. Here two
// such runs are read from a served process while a status probe keeps answering (the measure,
// own holds only: expectResponsive), within a second of the server's main-thread CPU time, and a
// second time from the cells it kept. workflow-grid-wide.test.ts counts the rows read.
import { rmSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { mainThreadCpuMs } from '../support/cpu-time'
import { startServedProcess, underProbe, type ServedProcess } from '../support/served-process'
import { tempDir } from '../support/temp-store'
import { rillClient } from '../workflows/support/rill-client'
import { runWideForeach } from './wide-foreach-runs'

const ITEMS = 20_000
const dir = tempDir()
let app: ServedProcess

beforeAll(async () => {
  app = await startServedProcess(dir)
  await runWideForeach(rillClient(app.url, app.token), 2, ITEMS)
}, 600_000)
afterAll(async () => {
  await app?.kill()
  rmSync(dir, { recursive: true, force: true })
})

/** Reads the grid under the status probe; resolves with its answer and the server's main-thread CPU time for it (ms). */
async function gridUnderProbe(): Promise<{ status: number; body: unknown; cpuMs: number }> {
  const pid = app.child.pid!
  const cpu0 = mainThreadCpuMs(pid)
  const res = await underProbe(app, () => fetch(`${app.url}/api/v1/workflows/grid?workspace=wide&name=f20k`, { headers: { authorization: `Bearer ${app.token}` } }))
  const body = await res.json()
  return { status: res.status, body, cpuMs: mainThreadCpuMs(pid) - cpu0 }
}

it('answers two runs of a 20,000-item foreach while a status probe keeps answering, and again from the kept cells', async () => {
  const cold = await gridUnderProbe()
  expect(cold.status).toBe(200)
  const warm = await gridUnderProbe()
  expect(warm.body).toEqual(cold.body)
  console.log(`grid of two 20,000-item runs: ${cold.cpuMs.toFixed(0)} ms of the server's main-thread CPU, ${warm.cpuMs.toFixed(0)} ms from kept cells`)
  // the probes' own requests are in these too (one every 50 ms, some ms each)
  expect(cold.cpuMs).toBeLessThan(1000)
  expect(warm.cpuMs).toBeLessThan(300)
}, 120_000)
