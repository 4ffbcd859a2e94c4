// A line diff (Myers' O(ND) algorithm, as `diff` and git use) for comparing two descriptor versions.

/** One line of a unified diff: kept, removed from the old text, or added in the new one; line numbers are 1-based. */
export type DiffLine = { kind: 'same'; text: string; oldLine: number; newLine: number } | { kind: 'del'; text: string; oldLine: number } | { kind: 'add'; text: string; newLine: number }

/** Texts whose lines differ in more places than this are shown as "everything replaced" (the search is O(N·D)). */
const MAX_EDITS = 4000

const splitLines = (text: string): string[] => {
  const lines = text.split(/\r?\n/)
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop() // a final newline is no extra line
  return lines
}

/** The shortest edit script turning `before` into `after`, line by line, in order. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = splitLines(before)
  const b = splitLines(after)
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, MAX_EDITS)
  const offset = max + 1
  const v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice())
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      v[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
  }
  if (found < 0) {
    // too different to search: all old lines out, all new lines in
    return [...a.map((text, i): DiffLine => ({ kind: 'del', text, oldLine: i + 1 })), ...b.map((text, i): DiffLine => ({ kind: 'add', text, newLine: i + 1 }))]
  }
  // walk the trace back from the end
  const out: DiffLine[] = []
  let x = n
  let y = m
  for (let d = found; d >= 0; d--) {
    const vd = trace[d]
    const k = x - y
    const prevK = d === 0 ? 0 : k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1
    const prevX = d === 0 ? 0 : vd[offset + prevK]
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      out.push({ kind: 'same', text: a[x - 1], oldLine: x, newLine: y })
      x--
      y--
    }
    if (d > 0) {
      if (x === prevX) out.push({ kind: 'add', text: b[y - 1], newLine: y })
      else out.push({ kind: 'del', text: a[x - 1], oldLine: x })
    }
    x = prevX
    y = prevY
  }
  return out.reverse()
}
