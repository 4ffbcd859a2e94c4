// Degree centrality as NebulaGraph Analytics' DegreeCentrality (NStepDegree) defines it: the
// number of distinct vertices within STEP hops (STEP=1: the neighbours; -1: no limit), along
// out-edges, in-edges or both. Analytics estimates it with HyperLogLog (BITS); JobDesk counts
// exactly, so BITS is accepted and not needed.
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

/** For each vertex, how many other vertices lie within `steps` hops in `g` (-1: any number of hops). */
export function nStepDegree(g: Csr, steps: number, ctl: AlgorithmControl): Int32Array {
  const { n, offsets, targets } = g
  const out = new Int32Array(n)
  const seen = new Int32Array(n).fill(-1)
  const queue = new Int32Array(n)
  const limit = steps < 0 ? Infinity : steps
  for (let s = 0; s < n; s++) {
    if (limit === 1) {
      let count = 0
      for (let e = offsets[s]; e < offsets[s + 1]; e++) {
        const t = targets[e]
        if (t !== s && seen[t] !== s) {
          seen[t] = s
          count++
        }
      }
      out[s] = count
      ctl.tick()
      continue
    }
    seen[s] = s
    let head = 0
    let tail = 0
    queue[tail++] = s
    let levelEnd = tail
    let depth = 0
    while (head < tail && depth < limit) {
      const v = queue[head++]
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const t = targets[e]
        if (seen[t] !== s) {
          seen[t] = s
          queue[tail++] = t
        }
        ctl.tick()
      }
      if (head === levelEnd) {
        depth++
        levelEnd = tail
      }
    }
    out[s] = tail - 1
    if ((s & 0x3ff) === 0) ctl.progress(s / n)
  }
  return out
}
