// Orders of row indexes for bulk writes: stable sorts of an index array by a key column, an LSD
// radix sort where the keys allow (vids, small non-negative integers), a comparison sort otherwise.
import type { ScratchArrays } from './scratch'
import type { Stored } from './values'

/** Orders stored values as TuGraph's sort of a package does (numbers by value, text by code units, null first). */
export function compareStored(a: Stored, b: Stored): number {
  if (a === b) return 0
  if (a === null) return -1
  if (b === null) return 1
  return a < b ? -1 : a > b ? 1 : 0
}

/** 0, 1, …, n-1. */
export const identityOrder = (n: number): Uint32Array => {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  return order
}

/**
 * Sorts `order` (indexes into `keys`) in place by key, stably: equal keys keep their relative
 * order. Integer keys in [0, 2^32) take an LSD radix sort (16 bits a pass), with its temporary
 * arrays from `scratch` when given; anything else a comparison sort. Returns `order`.
 */
export function sortByKey(order: Uint32Array, keys: ArrayLike<Stored>, scratch?: ScratchArrays): Uint32Array {
  const n = order.length
  const u32 = (name: string, size: number) => (scratch ? scratch.uint32(name, size) : new Uint32Array(size))
  const digits = u32('sort.digits', n) // the keys in sort order's positions, as unsigned 32-bit integers
  let max = 0
  for (let i = 0; i < n; i++) {
    const k = keys[order[i]]
    if (typeof k !== 'number' || !(k >= 0 && k <= 0xffffffff) || k !== Math.floor(k)) return compareSort(order, keys)
    digits[i] = k
    if (k > max) max = k
  }
  let from: Uint32Array = order
  let to: Uint32Array = u32('sort.order', n)
  let fromDigits = digits
  let toDigits = u32('sort.digits2', n)
  const count = u32('sort.count', 65537)
  for (let shift = 0; shift < 32 && max >>> shift > 0; shift += 16) {
    count.fill(0)
    for (let i = 0; i < n; i++) count[((fromDigits[i] >>> shift) & 0xffff) + 1]++
    for (let b = 1; b < 65537; b++) count[b] += count[b - 1]
    for (let i = 0; i < n; i++) {
      const at = count[(fromDigits[i] >>> shift) & 0xffff]++
      to[at] = from[i]
      toDigits[at] = fromDigits[i]
    }
    ;[from, to] = [to, from]
    ;[fromDigits, toDigits] = [toDigits, fromDigits]
  }
  if (from !== order) order.set(from)
  return order
}

function compareSort(order: Uint32Array, keys: ArrayLike<Stored>): Uint32Array {
  const position = new Uint32Array(keys.length)
  for (let i = 0; i < order.length; i++) position[order[i]] = i
  return order.sort((a, b) => compareStored(keys[a], keys[b]) || position[a] - position[b])
}

/** True when keys[order[0]], keys[order[1]], … never decrease (a file already in key order needs no sort). */
export function isSortedBy(order: Uint32Array, keys: ArrayLike<Stored>): boolean {
  for (let i = 1; i < order.length; i++) if (compareStored(keys[order[i - 1]], keys[order[i]]) > 0) return false
  return true
}
