/**
 * Resolves with `read()` once `done` holds for it, checking every 10 ms; rejects naming `what` and
 * the last value read when `withinMs` pass first. For states a test waits on (query workers busy,
 * a stopped one gone) in place of a fixed sleep: as fast as the state comes, and bounded.
 */
export async function until<T>(read: () => T, done: (value: T) => boolean, what: string, withinMs = 60_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = read()
    if (done(value)) return value
    if (Date.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs} ms (last: ${JSON.stringify(value)})`)
    await new Promise((r) => setTimeout(r, 10))
  }
}
