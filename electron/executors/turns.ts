// Work that would hold the main thread in bursts (reading floods of output, starting processes)
// is spread out: one piece per turn of the event loop, so requests get their turn in between.

const queue: (() => void)[] = []
let turning = false

/** Runs `fn` in a later turn of the event loop: one queued function per turn, in order. */
export function takeTurn(fn: () => void): void {
  queue.push(fn)
  if (turning) return
  turning = true
  setImmediate(next)
}

/** Resolves in a turn of its own (see takeTurn). */
export const ownTurn = (): Promise<void> => new Promise((resolve) => takeTurn(resolve))

function next(): void {
  queue.shift()?.()
  if (queue.length) setImmediate(next)
  else turning = false
}
