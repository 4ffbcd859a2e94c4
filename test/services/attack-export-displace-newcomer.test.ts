// atk9b: the export queue's displacement (export-queue.ts, exq9) takes the place of the newest waiting
// export when everyone in line has one: a newcomer who just displaced someone is the newest, so the
// next account with nothing in flight takes its place straight back. The cooldown only stops the
// account bob displaced; one more account of mallory's (not cooling) is enough. Mallory holds every
// running slot and every waiting place with one export per account and, each time one of hers is
// displaced (she hears export_displaced), asks again from an account that is not cooling: bob is
// displaced every time he gets in, and is never in line when a slot frees. The queue alone, with its
// clock faked: no workers.
import { expect, it } from 'vitest'
import { exportQueue } from '../../electron/services/export/export-queue'

const RUNNING = 2
const WAITING = 3
const RETRY_S = 15

it('keeps a newcomer in line when one more account of one export arrives after it, so a freed slot reaches it', async () => {
  let clock = 0
  const queue = exportQueue({ running: RUNNING, waiting: WAITING, retryAfterSeconds: RETRY_S, now: () => clock })
  const settled = new Map<string, 'started' | string>() // by ask: 'started' or the refusal's code
  const releases = new Map<string, () => void>()
  /** mallory's accounts not holding a place, in the order they may ask again (cooling ones last) */
  const idle: string[] = []
  let asks = 0
  const ask = (user: string): string => {
    const id = `${user}#${++asks}`
    queue.acquire(user).then(
      (release) => {
        settled.set(id, 'started')
        releases.set(user, release)
      },
      (e: { code?: string }) => {
        settled.set(id, e.code ?? 'error')
        if (user.startsWith('mallory')) {
          idle.push(user)
          // she heard one of hers was displaced: another account of hers asks at once
          if (e.code === 'export_displaced') ask(idle.shift()!)
        }
      },
    )
    return id
  }
  const tick = () => new Promise((r) => setImmediate(r))

  // mallory: one export per account in every running slot and every waiting place, and one spare account
  for (let i = 0; i < RUNNING + WAITING; i++) ask(`mallory${i}`)
  idle.push(`mallory${RUNNING + WAITING}`)
  await tick()

  // bob asks, and again after his Retry-After whenever he is refused; each round a running export of
  // mallory's ends (her account asks again at once, as it does whenever one of hers ends). With at most
  // WAITING - 1 exports ahead of him, bob should start within WAITING + 1 rounds.
  let bobs: string | undefined
  const bobSaw: string[] = []
  for (let round = 0; round <= WAITING + 1 && !bobSaw.includes('started'); round++) {
    if (bobs === undefined || settled.has(bobs)) bobs = ask('bob')
    await tick()
    await tick()
    const running = [...releases.keys()].find((u) => u.startsWith('mallory'))!
    releases.get(running)!()
    releases.delete(running)
    ask(running)
    await tick()
    await tick()
    bobSaw.push(settled.get(bobs) ?? 'waiting')
    clock += RETRY_S * 1000 + 1
  }
  expect(bobSaw, `bob's asks, round by round: ${bobSaw.join(', ')}`).toContain('started') // now: export_displaced every round
})
