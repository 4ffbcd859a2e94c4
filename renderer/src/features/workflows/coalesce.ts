/**
 * Turns a burst of requests into few runs of `work`: the first request starts a timer of `delayMs`,
 * later ones join it; a request that comes while `work` runs schedules exactly one more run.
 * A 1000-task foreach pushing 1000 events thus costs one fetch per `delayMs`, never overlapping.
 */
export function coalesce(work: () => Promise<void>, delayMs: number): { schedule(): void; runNow(): Promise<void> } {
  let timer: ReturnType<typeof setTimeout> | null = null
  let running = false
  let again = false

  const schedule = (): void => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      void runNow()
    }, delayMs)
  }

  const runNow = async (): Promise<void> => {
    if (running) {
      again = true
      return
    }
    running = true
    try {
      await work()
    } finally {
      running = false
      if (again) {
        again = false
        schedule()
      }
    }
  }

  return { schedule, runNow }
}
