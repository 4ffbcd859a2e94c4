import { randomUUID } from 'node:crypto'
import { afterEach } from 'vitest'
import { Engine } from '../../electron/engine/engine'
import { ExecutorRegistry, type Executor } from '../../electron/engine/executor'
import { tempStore } from './temp-store'

/** An executor whose tasks run until released; records which user's task started, in order. */
export interface Gate extends Executor {
  started: string[]
  running: number
  /** Ends `user`'s oldest running task. */
  release(user: string): void
  releaseAll(): void
}

/** Runs until its user's next task is released (`release(user)`, first started first); records starts by user. */
export function gate(): Gate {
  const waiting = new Map<string, (() => void)[]>()
  const g = {
    name: 'gate',
    resumable: true,
    started: [] as string[],
    running: 0,
    release: (user: string) => waiting.get(user)?.shift()?.(),
    releaseAll: () => [...waiting.values()].forEach((fs) => fs.splice(0).forEach((f) => f())),
    async run(ctx: { spec: Record<string, unknown> }) {
      const user = String(ctx.spec.user)
      g.started.push(user)
      g.running++
      await new Promise<void>((r) => {
        const mine = waiting.get(user) ?? []
        waiting.set(user, mine)
        mine.push(r)
      })
      g.running--
      return { output: null }
    },
  }
  return g
}

let stop: (() => void) | undefined

/**
 * An engine on a temp store whose only executor is a gate, for scheduling tests: `submit(user, n)`
 * submits n one-task jobs of `user`, `settled()` lets the engine dispatch (50 ms), `startsOf(user)`
 * counts that user's started tasks. Released, stopped and removed after each test of the file that
 * calls it (registers an afterEach once per file).
 */
export function gatedEngine(o: { concurrency: number; shareOf?: (submitter: string) => number; newcomerLane?: number }) {
  const t = tempStore()
  const g = gate()
  const engine = new Engine({ store: t.store, executors: new ExecutorRegistry([g]), ...o })
  stop?.()
  stop = () => {
    g.releaseAll()
    engine.stop()
    t.cleanup()
  }
  const submit = (user: string, n: number) =>
    Array.from({ length: n }, () => engine.submit({ uuid: randomUUID(), kind: 'dag', name: user, submitter: user }, [{ name: 'main', executor: 'gate', spec: { user } }]))
  const settled = () => new Promise((r) => setTimeout(r, 50))
  const startsOf = (user: string) => g.started.filter((u) => u === user).length
  return { engine, g, submit, settled, startsOf }
}

/** Registers, in the calling test file, the afterEach that ends gatedEngine's engine. */
export function endGatedEngines(): void {
  afterEach(() => {
    stop?.()
    stop = undefined
  })
}
