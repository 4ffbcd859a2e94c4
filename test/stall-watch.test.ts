// Main-thread stall reports (#9 §2): a one-off wait in a long probe run must say what ran.
import { afterEach, expect, it } from 'vitest'
import { noteActivity, watchStalls, type Stall } from '../electron/stall-watch'

let stop: () => void = () => undefined
afterEach(() => stop())

const busy = (ms: number) => {
  const end = performance.now() + ms
  while (performance.now() < end) {
    // holds the main thread, as a long synchronous handler would
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

it('reports a hold over the threshold with what was started before it, and nothing while the thread is free', async () => {
  const stalls: Stall[] = []
  stop = watchStalls({ thresholdMs: 200, everyMs: 20, report: (s) => stalls.push(s) })
  await sleep(300)
  expect(stalls).toEqual([])
  noteActivity('POST /flow/submit.json')
  busy(450)
  await sleep(60)
  expect(stalls).toHaveLength(1)
  expect(stalls[0].heldMs).toBeGreaterThanOrEqual(400)
  expect(stalls[0].ran).toEqual(['POST /flow/submit.json'])
  await sleep(200)
  expect(stalls).toHaveLength(1) // the next windows are clean and noted nothing
})
