// A graph snapshot's vertex indexes: its vertices numbered 0..n-1 in vid order. Vids are never
// reused, so a graph whose vertices were made and deleted for long (or a file whose next_vid is
// large) has vids far past its vertex count: an array by vid is kept only while it is small, and past
// that the vids are looked up in a hash table of the n vertices (#9: Int32Array(maxVid + 1) was 8 GiB, filled,
// for a vid of 2^31 - 1, and a RangeError for 2^53).
import { RUN_MEMORY_BUDGET_BYTES } from './limits'

/**
 * Vid slots an array by vid may have: 4 bytes each, a sixteenth of a run's memory budget (32 MiB:
 * 8,388,608 slots, five for each vertex a run may hold at most).
 */
export const MAX_DENSE_VID_SLOTS = RUN_MEMORY_BUDGET_BYTES / 16 / 4

/** Marks a vid seen before indexes are handed out in vid order. */
const PRESENT = -2

export interface VidIndexes {
  /** Vertices indexed. */
  readonly count: number
  /** The vertex's index (0..count-1), or -1 when no vertex has this vid. */
  indexOf(vid: number): number
}

/**
 * Indexes the vids of `lists` (each vid in one list only: the vertices table's key) in vid order;
 * `maxVid` is the largest of them (-1 for none). Takes at most MAX_DENSE_VID_SLOTS × 4 bytes, or 24
 * to 48 bytes a vertex (VidTable), whatever the vids' size.
 */
export function vidIndexes(lists: readonly (readonly number[])[], maxVid: number): VidIndexes {
  const count = lists.reduce((n, list) => n + list.length, 0)
  if (maxVid < MAX_DENSE_VID_SLOTS) {
    const slots = new Int32Array(maxVid + 1).fill(-1)
    for (const list of lists) for (const vid of list) slots[vid] = PRESENT
    let next = 0
    for (let vid = 0; vid <= maxVid; vid++) if (slots[vid] === PRESENT) slots[vid] = next++
    return { count, indexOf: (vid) => (vid >= 0 && vid <= maxVid ? slots[vid] : -1) }
  }
  const sorted = new Float64Array(count)
  let at = 0
  for (const list of lists) for (const vid of list) sorted[at++] = vid
  sorted.sort()
  return new VidTable(sorted)
}

/** Hash of an integer vid (up to 2^53 exactly; both 32-bit halves mixed). */
const hashOf = (vid: number): number => Math.imul(vid % 4294967296 | 0, 0x9e3779b1) ^ Math.imul((vid / 4294967296) | 0, 0x85ebca6b)

/**
 * Vid → index in typed arrays, open addressing at most half full: 12 bytes a slot, 24 to 48 a vertex
 * (a Map took 4.5 s to fill and 8.9 s for 2^24 lookups of 1,677,721 vids; this 0.7 s and 2.2 s, at load 7).
 */
class VidTable implements VidIndexes {
  readonly count: number
  private readonly keys: Float64Array
  private readonly values: Int32Array
  private readonly mask: number

  /** `sorted`: the vids in ascending order, each once; a vid's index is its place there. */
  constructor(sorted: Float64Array) {
    this.count = sorted.length
    let size = 2
    while (size < 2 * sorted.length) size *= 2
    this.mask = size - 1
    this.keys = new Float64Array(size).fill(-1)
    this.values = new Int32Array(size)
    sorted.forEach((vid, i) => {
      let slot = hashOf(vid) & this.mask
      while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask
      this.keys[slot] = vid
      this.values[slot] = i
    })
  }

  indexOf(vid: number): number {
    for (let slot = hashOf(vid) & this.mask; ; slot = (slot + 1) & this.mask) {
      const key = this.keys[slot]
      if (key === vid) return this.values[slot]
      if (key === -1) return -1
    }
  }
}
