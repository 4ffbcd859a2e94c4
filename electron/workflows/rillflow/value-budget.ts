// A bounded deep copy of JSON-like data. Values a mapping writes into the context are copies (the
// context round-trips through JSON upstream), and a copy is where a hostile value shows its true
// size: a list that holds itself, or 30 levels of `seq.list(a, a)` (a few dozen objects in
// memory, 2^30 once written out). Copying stops at the first limit instead of freezing the process.

/** How big one copied value may be. */
export const VALUE_LIMITS = {
  /** Scalars, lists and maps, each counted once per place it appears. */
  maxNodes: 1_000_000,
  /** Characters of strings and keys. */
  maxChars: 16 << 20,
  /** Levels of lists and maps inside each other. */
  maxDepth: 500,
} as const

/** A value over VALUE_LIMITS, or one that contains itself. */
export class ValueTooLargeError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ValueTooLargeError'
  }
}

/**
 * Copies lists and plain maps (other values are returned as they are, like JSON scalars), calling
 * `onContainer` with each new list or map. Throws ValueTooLargeError, before copying anything,
 * when the copy would pass a limit of VALUE_LIMITS or the value contains itself. The value is
 * measured first with each distinct list or map measured once, so one that is small in memory but
 * huge when written out (shared by aliasing) fails at once, and the copy is bounded by the limits.
 */
export function cloneWithin(value: unknown, onContainer?: (copy: object) => void): unknown {
  if (typeof value !== 'object' || value === null) {
    if (typeof value === 'string' && value.length > VALUE_LIMITS.maxChars) tooLarge({ nodes: 1, chars: value.length })
    return value
  }
  const size = sizeOf(value, new Map(), 0)
  if (size.nodes > VALUE_LIMITS.maxNodes || size.chars > VALUE_LIMITS.maxChars) tooLarge(size)
  return copy(value, onContainer)
}

/**
 * The size a value would have written out: elements and characters, each distinct list or map
 * measured once. Throws ValueTooLargeError for a value that contains itself or is nested too deeply.
 */
export function measureJson(value: unknown): Size {
  if (typeof value === 'string') return { nodes: 1, chars: value.length }
  if (typeof value !== 'object' || value === null) return { nodes: 1, chars: 0 }
  return sizeOf(value, new Map(), 0)
}

function tooLarge(size: Size): never {
  const { maxNodes, maxChars } = VALUE_LIMITS
  throw new ValueTooLargeError(size.nodes > maxNodes ? `the value has more than ${maxNodes} elements` : `the value has more than ${maxChars} characters`)
}

export interface Size {
  /** Scalars, lists and maps. */
  nodes: number
  /** Characters of strings and keys. */
  chars: number
}

/**
 * The written-out size of a container. Lists and maps that hold other lists or maps are measured
 * once each (remembered in `measured`), which also finds cycles; flat ones are cheap to count again.
 */
function sizeOf(v: object, measured: Map<object, Size | null>, depth: number): Size {
  const known = measured.get(v)
  if (known === null) throw new ValueTooLargeError('the value contains itself')
  if (known) return known
  if (depth >= VALUE_LIMITS.maxDepth) throw new ValueTooLargeError(`the value is nested more than ${VALUE_LIMITS.maxDepth} levels deep`)
  let nodes = 1
  let chars = 0
  let inner = false
  const add = (x: unknown): void => {
    nodes++
    if (typeof x === 'string') chars += x.length
    else if (typeof x === 'object' && x !== null) {
      if (!inner) measured.set(v, null) // being measured: met again below, it is a cycle
      inner = true
      const size = sizeOf(x, measured, depth + 1)
      nodes += size.nodes - 1
      chars += size.chars
    }
  }
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) add(v[i])
  else
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue
      chars += k.length
      add((v as Record<string, unknown>)[k])
    }
  const size = { nodes, chars }
  if (inner) measured.set(v, size)
  return size
}

/** A plain deep copy; only called on values sizeOf accepted (finite, bounded). */
function copy(v: unknown, onContainer: ((copy: object) => void) | undefined): unknown {
  if (typeof v !== 'object' || v === null) return v
  let out: Record<string, unknown> | unknown[]
  if (Array.isArray(v)) {
    out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = copy(v[i], onContainer)
  } else {
    out = {}
    for (const k of Object.keys(v)) {
      const x = copy((v as Record<string, unknown>)[k], onContainer)
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true })
      else out[k] = x
    }
  }
  onContainer?.(out)
  return out
}
