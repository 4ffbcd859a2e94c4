// Where the Workflows graph says why an edit was refused (placeRefusal, #9 UI LOWs): under the edit
// strip unless that covers a task the refusal is about, else at the graph's bottom left of the minimap,
// never wider than the room beside the zoom buttons; the graph itself is never moved for it.
import { describe, expect, it } from 'vitest'
import { placeRefusal } from '../../renderer/src/features/workflows/refusal-place'

// a 900×600 window's graph box with a task selected: the strip's two rows end at 78 px
const BOX = { width: 392, height: 235 }
const lines = (width: number) => (width < 300 ? 54 : 36) // the text wraps to 3 lines below 300 px
const base = { box: BOX, stripBottom: 78, right: 42, minimap: null, height: lines }

describe('placeRefusal', () => {
  it('lies under the edit strip, clear of the zoom buttons, when no task it is about is there', () => {
    const third = { x: 74, y: 190, width: 112, height: 32 }
    expect(placeRefusal({ ...base, about: [third] })).toEqual({ top: 82, width: 334 })
  })

  it('goes to the bottom when the task being renamed lies under the strip', () => {
    const first = { x: 74, y: 79, width: 112, height: 32 }
    expect(placeRefusal({ ...base, about: [first] })).toEqual({ top: 235 - 8 - 36, width: 376 })
  })

  it('keeps left of the minimap at the bottom, its text wrapping the taller', () => {
    const first = { x: 74, y: 79, width: 112, height: 32 }
    const minimap = { x: 288, y: 169, width: 96, height: 58 }
    expect(placeRefusal({ ...base, minimap, about: [first] })).toEqual({ top: 235 - 8 - 54, width: 272 })
  })

  it('of two places that both cover one of its tasks, takes the one covering less', () => {
    const top = { x: 20, y: 80, width: 300, height: 10 } // 10 px of the strip's place
    const low = { x: 20, y: 150, width: 300, height: 80 } // all of the bottom's
    expect(placeRefusal({ ...base, about: [top, low] }).top).toBe(82)
    const tall = { x: 20, y: 60, width: 300, height: 60 } // the strip's place wholly
    const foot = { x: 20, y: 225, width: 300, height: 10 } // 2 px of the bottom's
    expect(placeRefusal({ ...base, about: [tall, foot] }).top).toBe(191)
  })
})
