// Values shared read-only: frozen, with every list and map in them, so that code that writes into
// one copies it first (workflows/rillflow/jsonpath/write.ts copies a frozen container on write).

/**
 * Freezes `v` and the lists and maps in it, down to `maxDepth` levels (a value measured or parsed
 * within that depth before); one already frozen is taken as frozen through (it was frozen here).
 */
export function deepFreeze(v: object, maxDepth: number, depth = 0): void {
  if (Object.isFrozen(v) || depth > maxDepth) return
  Object.freeze(v)
  if (Array.isArray(v)) {
    for (const x of v) if (typeof x === 'object' && x !== null) deepFreeze(x, maxDepth, depth + 1)
    return
  }
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k]
    if (typeof x === 'object' && x !== null) deepFreeze(x, maxDepth, depth + 1)
  }
}
