// Core numbers (k-core decomposition) by Batagelj and Zaversnik's bucket algorithm, O(n + m), on
// the simple undirected snapshot.
import type { AlgorithmControl } from './control'
import type { Csr } from './csr'

/** The core number of each vertex of a simple undirected graph. */
export function coreNumbers(g: Csr, ctl: AlgorithmControl): Int32Array {
  const { n, offsets, targets } = g
  const deg = new Int32Array(n)
  let maxDeg = 0
  for (let i = 0; i < n; i++) {
    deg[i] = offsets[i + 1] - offsets[i]
    if (deg[i] > maxDeg) maxDeg = deg[i]
  }
  const bin = new Int32Array(maxDeg + 1)
  for (let i = 0; i < n; i++) bin[deg[i]]++
  for (let d = 0, start = 0; d <= maxDeg; d++) {
    const count = bin[d]
    bin[d] = start
    start += count
  }
  const pos = new Int32Array(n)
  const vert = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    pos[i] = bin[deg[i]]++
    vert[pos[i]] = i
  }
  for (let d = maxDeg; d > 0; d--) bin[d] = bin[d - 1]
  bin[0] = 0
  for (let k = 0; k < n; k++) {
    const v = vert[k]
    for (let e = offsets[v]; e < offsets[v + 1]; e++) {
      const u = targets[e]
      if (deg[u] > deg[v]) {
        const du = deg[u]
        const pu = pos[u]
        const pw = bin[du]
        const w = vert[pw]
        if (u !== w) {
          pos[u] = pw
          vert[pu] = w
          pos[w] = pu
          vert[pw] = u
        }
        bin[du]++
        deg[u]--
      }
      ctl.tick()
    }
  }
  return deg
}
