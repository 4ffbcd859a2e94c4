// Where the Workflows graph says why an edit was refused (placeRefusal, #9 UI LOWs): under the edit
// strip, in a corner, or anywhere in the box, clear of the strip, zoom buttons and minimap, and first of
// the edit's own tasks, then of the other tasks the refusal names (a cycle's), then of any task; the
// graph itself is never moved for it.
import { describe, expect, it } from 'vitest'
import { placeRefusal } from '../../renderer/src/features/workflows/refusal-place'

// a 900×600 window's graph box with a task selected: the strip's two rows end at 78 px
const BOX = { width: 392, height: 235 }
const lines = (width: number) => (width < 300 ? 54 : 36) // the text wraps to 3 lines below 300 px
const strip = { x: 8, y: 8, width: 300, height: 70 }
const controls = { x: 350, y: 8, width: 34, height: 90 }
const base = { box: BOX, stripBottom: 78, keepClear: [strip, controls], ends: [], about: [], others: [], height: lines }

describe('placeRefusal', () => {
  it('lies under the edit strip, as wide as the zoom buttons leave room for, when no task is there', () => {
    const third = { x: 74, y: 190, width: 112, height: 32 }
    expect(placeRefusal({ ...base, ends: [third] })).toEqual({ left: 8, top: 82, width: 340 })
  })

  it('goes to the bottom when the task being renamed lies under the strip', () => {
    const first = { x: 74, y: 79, width: 112, height: 32 }
    expect(placeRefusal({ ...base, ends: [first] })).toEqual({ left: 8, top: 235 - 8 - 36, width: 376 })
  })

  it('keeps clear of the minimap, narrower and taller, at the bottom', () => {
    const first = { x: 74, y: 79, width: 112, height: 32 }
    const minimap = { x: 288, y: 169, width: 96, height: 58 }
    expect(placeRefusal({ ...base, keepClear: [strip, controls, minimap], ends: [first] })).toEqual({ left: 8, top: 235 - 8 - 54, width: 280 })
  })

  it('covers no task at all where a place is, before a place covering only a task the refusal is not about', () => {
    const top = { x: 74, y: 79, width: 112, height: 32 } // not about it, under the strip
    const renamed = { x: 74, y: 130, width: 112, height: 32 }
    const low = { x: 8, y: 180, width: 376, height: 50 } // the bottom row
    const placed = placeRefusal({ ...base, ends: [renamed], others: [top, low] })
    const r = { x: placed.left, y: placed.top, width: placed.width, height: lines(placed.width) }
    for (const t of [top, renamed, low]) expect(Math.min(r.x + r.width, t.x + t.width) <= Math.max(r.x, t.x) || Math.min(r.y + r.height, t.y + t.height) <= Math.max(r.y, t.y)).toBe(true)
  })

  it('with no clear place, covers a task it is not about rather than one of a cycle, and one of a cycle rather than a wire’s end', () => {
    const band = (y: number, height: number) => ({ x: 0, y, width: 392, height })
    // three bands fill the box under the strip: a wire's end, a task of the cycle, another task
    expect(placeRefusal({ ...base, ends: [band(78, 42)], about: [band(120, 40)], others: [band(160, 75)] }).top).toBeGreaterThanOrEqual(160)
    expect(placeRefusal({ ...base, ends: [band(160, 75)], about: [band(78, 42)], others: [band(120, 40)] }).top).toBe(120)
  })

  it('takes the one-line form where the whole message has no clear place and the line has one, not where it has', () => {
    // tasks fill the box under the strip but for a 30 px gap: 36 px of the whole message cover one, a 24 px line does not
    const upper = { x: 0, y: 78, width: 392, height: 80 }
    const lower = { x: 0, y: 188, width: 392, height: 47 }
    const placed = placeRefusal({ ...base, others: [upper, lower], compactHeight: 24 })
    expect(placed.compact).toBe(true)
    const r = { x: placed.left, y: placed.top, width: placed.width, height: 24 }
    for (const t of [upper, lower]) expect(Math.min(r.y + r.height, t.y + t.height) <= Math.max(r.y, t.y)).toBe(true)
    // a clear place for the whole message: the whole message, there
    expect(placeRefusal({ ...base, others: [lower], compactHeight: 24 })).toEqual({ left: 8, top: 82, width: 340 })
  })

  it('with no clear place for either form, takes the one that covers less', () => {
    const band = { x: 0, y: 78, width: 392, height: 157 } // one task over the whole box under the strip
    const placed = placeRefusal({ ...base, others: [band], compactHeight: 24 })
    expect(placed.compact).toBe(true)
    expect(placed.width).toBe(80) // the narrowest line: the least of the task covered
  })
})
