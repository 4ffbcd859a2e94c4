// Deferred driver work shares a tick as the tick's budget allows; work deferred `alone` runs in a
// tick of its own (JobControl.defer): a wide foreach's output mapping after the last steps gathering
// its groups held one turn for both (#9 §2).
import { afterEach, describe, expect, it } from 'vitest'
import { dagDriver } from '../../electron/engine/dag-driver'
import type { JobControl, JobDriver } from '../../electron/engine/driver'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry } from '../../electron/engine/executor'
import { noopExecutor } from '../../electron/executors/noop'
import { submit } from '../support/engine'
import { tempStore } from '../support/temp-store'

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

/**
 * Which items ran in the same tick: items of one tick run one after another without a turn of the
 * event loop between them, so a microtask queued by the first runs only after the last.
 */
function tickRecorder() {
  const ticks: string[][] = []
  let current: string[] | null = null
  return {
    ticks,
    ran(label: string) {
      if (!current) {
        current = []
        ticks.push(current)
        queueMicrotask(() => (current = null))
      }
      current.push(label)
    },
  }
}

/**
 * A driver whose task `hold` is held while `plan` runs as deferred work, in order, each item deferred
 * by the one before (`!` marks an item deferred alone); the last ends the task.
 */
function planDriver(plan: string[], ran: (label: string) => void): JobDriver {
  const run = (ctl: JobControl, i: number) => {
    ran(plan[i].replace('!', ''))
    if (i + 1 < plan.length) ctl.defer(() => run(ctl, i + 1), { alone: plan[i + 1].startsWith('!') })
    else ctl.finish('hold', 'succeeded')
  }
  return {
    ...dagDriver,
    prepare(ctl, task) {
      if (task.name !== 'hold') return dagDriver.prepare(ctl, task)
      ctl.defer(() => run(ctl, 0), { alone: plan[0].startsWith('!') })
      return { action: 'hold' }
    },
  }
}

/** Runs `plan` as a held task's deferred work (see planDriver) in an engine whose slice no item uses up; answers the items of each tick. */
async function ticksOf(plan: string[]): Promise<string[][]> {
  const { store, cleanup: removeStore } = tempStore()
  const recorder = tickRecorder()
  const driver = planDriver(plan, recorder.ran)
  const engine = new Engine({ store, executors: new ExecutorRegistry([noopExecutor]), driverFor: () => driver, tickSliceMs: 60_000, stopGraceMs: 2000 })
  cleanup = async () => {
    await engine.stop()
    removeStore()
  }
  const job = submit(engine, [{ name: 'hold', executor: 'noop', dependsOn: [], spec: {} }])
  expect((await engine.waitFor(job.id)).status).toBe('succeeded')
  return recorder.ticks
}

describe('deferred work alone in its tick', () => {
  it('runs first in a tick and ends its deferred work; other deferred work shares ticks as the budget allows', async () => {
    // only `alone` splits the plan into ticks
    expect(await ticksOf(['a', 'b', 'c', '!A', 'd', '!B', '!C', 'e', 'f'])).toEqual([['a', 'b', 'c'], ['A'], ['d'], ['B'], ['C'], ['e', 'f']])
  })

  it('without `alone`, the same plan runs in one tick (the budget is not used up)', async () => {
    expect(await ticksOf(['a', 'b', 'c', 'd'])).toEqual([['a', 'b', 'c', 'd']])
  })
})
