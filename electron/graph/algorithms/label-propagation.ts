// Label propagation (LPA) and its refinement HANP (hop attenuation and node preference: Leung et
// al., "Towards real-time community detection in large networks", 2009). Asynchronous, in vertex
// order. A tie keeps the vertex's own label when it is among the best, else goes to one of the
// best at random (a seeded source, so a run repeats exactly): a fixed rule such as "the smallest"
// floods one label across the graph. Labels flow along edges (a vertex listens to its
// in-neighbours); pass the symmetric snapshot for IS_DIRECTED=false.
import type { AlgorithmControl } from './control'
import { type Csr } from './csr'
import { seededRandom } from './louvain'

export interface HanpOptions {
  /** PREFERENCE (m): a neighbour's vote is scaled by degree^m. */
  preference: number
  /** HOP_ATT (δ): a label's score drops by δ per hop. */
  hopAttenuation: number
}

/**
 * Labels after at most `iterations` passes (or when a pass changes nothing). `incoming` is the
 * graph whose rows list who a vertex listens to (the reverse snapshot when directed). With `hanp`,
 * votes are score × degree^m × weight and scores decay by δ per hop.
 */
export function propagateLabels(incoming: Csr, iterations: number, ctl: AlgorithmControl, hanp?: HanpOptions): { labels: Int32Array; passes: number } {
  const { n, offsets, targets, weights } = incoming
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) labels[i] = i
  const score = hanp ? new Float64Array(n).fill(1) : null
  const pref = hanp ? new Float64Array(n) : null
  if (hanp && pref) for (let i = 0; i < n; i++) pref[i] = Math.pow(Math.max(1, offsets[i + 1] - offsets[i]), hanp.preference)
  const vote = new Float64Array(n)
  const best = new Float64Array(n) // HANP: the best score seen per label at this vertex
  const touched = new Int32Array(n)
  const random = seededRandom(7)
  let passes = 0
  for (; passes < iterations; ) {
    let changed = 0
    for (let i = 0; i < n; i++) {
      const from = offsets[i]
      const to = offsets[i + 1]
      if (from === to) continue
      let k = 0
      for (let e = from; e < to; e++) {
        const j = targets[e]
        let v = weights ? weights[e] : 1
        if (score && pref) {
          if (score[j] <= 0) continue
          v *= score[j] * pref[j]
        }
        const l = labels[j]
        if (vote[l] === 0 && best[l] === 0) touched[k++] = l
        vote[l] += v
        if (score && score[j] > best[l]) best[l] = score[j]
      }
      let top = -1
      let topVote = -Infinity
      let ties = 0
      for (let t = 0; t < k; t++) {
        const l = touched[t]
        if (vote[l] > topVote) {
          top = l
          topVote = vote[l]
          ties = 1
        } else if (vote[l] === topVote && ++ties * random() < 1) {
          top = l // reservoir choice: each of the tied labels equally likely
        }
      }
      if (top >= 0 && top !== labels[i] && vote[labels[i]] === topVote) top = labels[i]
      if (top >= 0) {
        if (top !== labels[i]) {
          labels[i] = top
          changed++
        }
        if (score && hanp) score[i] = best[top] - hanp.hopAttenuation
      }
      for (let t = 0; t < k; t++) {
        vote[touched[t]] = 0
        best[touched[t]] = 0
      }
      ctl.tick()
    }
    passes++
    ctl.check()
    ctl.progress(passes / iterations)
    if (changed === 0) break
  }
  return { labels, passes }
}
