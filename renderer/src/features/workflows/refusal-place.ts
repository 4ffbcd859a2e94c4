// Where the Workflows graph's edit refusal (DagEditHint) lies in the graph's box: pure, no DOM.

/** A box in px, relative to the graph's box. */
export interface PlacedRect {
  x: number
  y: number
  width: number
  height: number
}

/**
 * Where DagEditHint goes: `left`, `top` and `width` in px inside the graph's box; `compact`: in its
 * one-line form (the rest of its text shown on hover or focus), taken where the whole message would
 * cover a task.
 */
export interface RefusalPlace {
  left: number
  top: number
  width: number
  compact?: boolean
}

const MARGIN = 8
/** The message's widest: a line of about 60 characters at 12.5 px. */
const HINT_MAX_WIDTH = 420
/** The narrower widths tried when no place of the widest is clear (its text then wraps to more lines), 20 px apart. */
const NARROWER = Array.from({ length: 15 }, (_, i) => 400 - 20 * i)
/** The one-line form's narrower widths still: its first words and × (the rest on hover or focus) fit a gap between tasks. */
const COMPACT_NARROWER = [100, 80]
/** The step, px, of the scan of the whole box once the named places are all covered. */
const STEP = 8

const intersect = (a: PlacedRect, b: PlacedRect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))

/**
 * Where the refusal's message lies inside the graph's box (`box`, px) without moving the graph. Tried in
 * turn, at the widest width and then narrower ones (`height(width)`: the message's height at a width, as
 * its text wraps): just under the edit strip (`stripBottom`, px from the box's top) beside the field it
 * answers, the bottom-left, the bottom-right, the top-right; then every place in the box, 8 px apart.
 * Taken: the first place that covers, in this order of weight, the least of `keepClear` (the edit
 * strip, zoom buttons, minimap), of `ends` (the tasks the edit touched: the renamed task, a wire's two
 * ends), of `about` (the other tasks the refusal names: a cycle's; the foreach or choice holding an
 * edited task, whose header names where it is), then the fewest and least area of
 * `others` (every other task). So a place clear of every task wins wherever one is. Where none is
 * and `compactHeight` (px: the one-line form's height) is given, the one-line form is placed the same
 * way and taken if it covers less: a smaller message rather than a covered task. Pure: no DOM.
 */
export function placeRefusal(o: {
  box: { width: number; height: number }
  stripBottom: number
  keepClear: PlacedRect[]
  ends: PlacedRect[]
  about: PlacedRect[]
  others: PlacedRect[]
  height: (width: number) => number
  compactHeight?: number
}): RefusalPlace {
  const whole = bestPlace(o, o.height, [])
  if (o.compactHeight === undefined || whole.score.every((v) => v === 0)) return whole.place
  const compact = bestPlace(o, () => o.compactHeight!, COMPACT_NARROWER)
  return less(compact.score, whole.score) ? { ...compact.place, compact: true } : whole.place
}

/** Whether the score `a` is less than `b`: the first weight where they differ decides. */
const less = (a: number[], b: number[]) => {
  const i = a.findIndex((v, k) => v !== b[k])
  return i >= 0 && a[i] < b[i]
}

/**
 * placeRefusal's search for a message of the heights `height(width)`, at its widths and `narrower` ones
 * (px) last: the first place of the least score, and that score.
 */
function bestPlace(o: Parameters<typeof placeRefusal>[0], height: (width: number) => number, narrower: number[]): { place: RefusalPlace; score: number[] } {
  const room = Math.max(120, o.box.width - 2 * MARGIN)
  const widths = [...new Set([HINT_MAX_WIDTH, ...NARROWER, ...narrower].map((w) => Math.min(w, room)))]
  const heights = new Map(widths.map((w) => [w, height(w)]))
  const named: RefusalPlace[] = []
  const scanned: RefusalPlace[] = []
  for (const width of widths) {
    const h = heights.get(width)!
    const [right, bottom] = [Math.max(MARGIN, o.box.width - MARGIN - width), Math.max(0, o.box.height - MARGIN - h)]
    named.push({ left: MARGIN, top: o.stripBottom + 4, width }, { left: MARGIN, top: bottom, width }, { left: right, top: bottom, width }, { left: right, top: MARGIN, width })
    for (let top = MARGIN; top <= bottom; top += STEP) for (let left = MARGIN; left <= right; left += STEP) scanned.push({ left, top, width })
  }
  const area = (r: PlacedRect, of: PlacedRect[]) => of.reduce((sum, a) => sum + intersect(r, a), 0)
  const score = (p: RefusalPlace): number[] => {
    const r = { x: p.left, y: p.top, width: p.width, height: heights.get(p.width)! }
    return [area(r, o.keepClear), area(r, o.ends), area(r, o.about), o.others.filter((a) => intersect(r, a) > 0).length, area(r, o.others)]
  }
  let best = named[0]
  let bestScore = score(best)
  for (const p of [...named, ...scanned]) {
    const s = score(p)
    if (less(s, bestScore)) [best, bestScore] = [p, s]
    if (s.every((v) => v === 0)) break // nothing covered: no later place does better
  }
  return { place: best, score: bestScore }
}
