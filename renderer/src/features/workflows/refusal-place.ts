// Where the Workflows graph's edit refusal (DagEditHint) lies in the graph's box: pure, no DOM.

/** A box in px, relative to the graph's box. */
export interface PlacedRect {
  x: number
  y: number
  width: number
  height: number
}

/** Where DagEditHint goes: `top` and `width` in px inside the graph's box (left is always MARGIN). */
export interface RefusalPlace {
  top: number
  width: number
}

const MARGIN = 8
/** The message's widest: a line of about 60 characters at 12.5 px. */
const HINT_MAX_WIDTH = 420

const intersect = (a: PlacedRect, b: PlacedRect) =>
  Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)) * Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y))

/**
 * Where the refusal's message lies inside the graph's box (`box`, px) without moving the graph: just
 * under the edit strip (`stripBottom`, px from the box's top), beside the field it answers, unless that
 * covers a node it is about (`about`), else at the box's bottom, left of the minimap (`minimap`); of
 * two that both cover one, the one covering less. `height(width)`: the message's height at a width
 * (its text wraps); `right`: px at the right kept for the zoom buttons. Pure: no DOM.
 */
export function placeRefusal(o: { box: { width: number; height: number }; stripBottom: number; right: number; minimap: PlacedRect | null; about: PlacedRect[]; height: (width: number) => number }): RefusalPlace {
  const widthTo = (limit: number) => Math.max(120, Math.min(HINT_MAX_WIDTH, limit - MARGIN))
  const topWidth = widthTo(o.box.width - o.right - MARGIN)
  const under: RefusalPlace = { top: o.stripBottom + 4, width: topWidth }
  // at the bottom, the minimap (bottom-right) keeps its corner
  const bottomWidth = widthTo(o.minimap ? o.minimap.x - MARGIN : o.box.width - MARGIN)
  const bottom: RefusalPlace = { top: Math.max(0, o.box.height - MARGIN - o.height(bottomWidth)), width: bottomWidth }
  const covered = (p: RefusalPlace) => {
    const r = { x: MARGIN, y: p.top, width: p.width, height: o.height(p.width) }
    return o.about.reduce((sum, a) => sum + intersect(r, a), 0)
  }
  const [a, b] = [covered(under), covered(bottom)]
  return a === 0 || a <= b ? under : bottom
}
