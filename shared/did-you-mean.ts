// "Did you mean …?" for a name that is not there: the closest known name within two edits
// (Levenshtein, case ignored), so `person` for a label `persons` is one keystroke from fixed
// (#9 new-user LOW). The one place for that suggestion: Cypher's unknown labels use it.

/** The most edits a suggested name may be away from the one written. */
export const MAX_SUGGESTION_EDITS = 2

/**
 * ` Did you mean [persons]?` when a name in `known` is within MAX_SUGGESTION_EDITS edits of `name`
 * (fewer edits than `name` has characters, so `a` does not suggest `b`); the closest wins, ties
 * by the order of `known`. Empty string when none is close (or `name` is in `known`).
 */
export function didYouMean(name: string, known: Iterable<string>): string {
  const want = name.toLowerCase()
  let best: string | undefined
  let bestEdits = MAX_SUGGESTION_EDITS + 1
  for (const k of known) {
    if (k === name) return ''
    const d = editDistance(want, k.toLowerCase(), bestEdits)
    if (d < bestEdits && d < name.length) {
      best = k
      bestEdits = d
    }
  }
  return best === undefined ? '' : ` Did you mean [${best}]?`
}

/** Levenshtein distance of a and b, or `cap` once it is sure to be at least `cap` (names are short; stops early on long ones). */
function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    let least = i
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
      least = Math.min(least, row[j])
    }
    if (least >= cap) return cap
    prev = row
  }
  return Math.min(prev[b.length], cap)
}
