import { Engine, type EngineOptions } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import type { NewTask } from '../../electron/store/job.repository'
import type { Store } from '../../electron/store'
import { noopExecutor } from '../../electron/executors/noop'
import type { Clock } from '../../electron/clock'
import type { LogLimits } from '../../electron/engine/job-logs'
import { randomUUID } from 'node:crypto'

export function makeEngine(
  store: Store,
  opts: { clock?: Clock; concurrency?: number; executors?: Executor[]; logLimits?: LogLimits; startRefusal?: EngineOptions['startRefusal']; driverFor?: EngineOptions['driverFor'] } = {},
): Engine {
  return new Engine({
    driverFor: opts.driverFor,
    store,
    executors: new ExecutorRegistry([noopExecutor, ...(opts.executors ?? [])]),
    clock: opts.clock,
    concurrency: opts.concurrency ?? 4,
    stopGraceMs: 2000,
    logLimits: opts.logLimits,
    startRefusal: opts.startRefusal,
  })
}

export function submit(engine: Engine, tasks: NewTask[], name = 'test job') {
  return engine.submit({ uuid: randomUUID(), kind: 'dag', name, submitter: 'admin' }, tasks)
}

/** A task list from a compact spec: `{ b: ['a'], c: ['a'], d: ['b', 'c'] }` (a has no entry → root). */
export function dagTasks(edges: Record<string, string[]>, spec: Record<string, unknown> = {}): NewTask[] {
  const names = new Set<string>(Object.keys(edges))
  for (const deps of Object.values(edges)) deps.forEach((d) => names.add(d))
  return [...names].map((name) => ({ name, executor: 'noop', dependsOn: edges[name] ?? [], spec }))
}

/** A task `gate` that runs until it is stopped, and `wide` tasks (w0, w1, …) waiting for it (pending): a stop of them takes several ticks' slices. */
export function gatedWideJob(wide: number): NewTask[] {
  return [
    { name: 'gate', executor: 'noop', spec: { delayMs: 600_000 } },
    ...Array.from({ length: wide }, (_, i) => ({ name: `w${i}`, executor: 'noop', dependsOn: ['gate'] })),
  ]
}
