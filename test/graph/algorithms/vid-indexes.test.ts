// A snapshot's vertex indexes (electron/graph/algorithms/vid-indexes.ts): vertices numbered in vid
// order whatever the vids' size, by an array while the largest vid is small and a hash table past it.
import { describe, expect, it } from 'vitest'
import { MAX_DENSE_VID_SLOTS, vidIndexes } from '../../../electron/graph/algorithms/vid-indexes'

/** `n` distinct vids from a fixed seed, below `top`, spread over two label lists; sorted copy too. */
function someVids(n: number, top: number): { lists: number[][]; sorted: number[] } {
  let x = 7 // xorshift32: exact in 32-bit integers, period 2^32 - 1
  const seen = new Set<number>()
  while (seen.size < n) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    seen.add(Math.floor(((x >>> 0) / 2 ** 32) * top))
  }
  const all = [...seen]
  return { lists: [all.filter((_, i) => i % 3 === 0), all.filter((_, i) => i % 3 !== 0)], sorted: [...all].sort((x, y) => x - y) }
}

describe('vidIndexes', () => {
  for (const [what, top] of [
    ['small vids (an array by vid)', MAX_DENSE_VID_SLOTS / 4],
    ['vids up to 2^53 (a hash table)', 2 ** 53],
  ] as const) {
    it(`numbers ${what} in vid order, and answers -1 for a vid no vertex has`, () => {
      const { lists, sorted } = someVids(100_000, top)
      const maxVid = sorted[sorted.length - 1]
      const idx = vidIndexes(lists, maxVid)
      expect(idx.count).toBe(100_000)
      const wrong = sorted.filter((vid, i) => idx.indexOf(vid) !== i)
      expect(wrong).toEqual([])
      const present = new Set(sorted)
      const absent = [0, 1, 2, 3, maxVid + 1, 2 ** 31 - 1, 2 ** 53 + 2].filter((v) => !present.has(v))
      expect(absent.map((v) => idx.indexOf(v))).toEqual(absent.map(() => -1))
    })
  }

  it('indexes no vertex for an empty graph', () => {
    expect(vidIndexes([], -1).count).toBe(0)
    expect(vidIndexes([[]], -1).indexOf(0)).toBe(-1)
  })
})
