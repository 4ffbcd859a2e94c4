// A job's context as the job detail writes it (ux18 #5): a context holding a 3,000-item array took
// ~3,000 lines, one number each. Arrays of scalars fill lines; past 100 members a value is cut with
// "… N more items" (the whole text, valid JSON, on request); small objects stay as readable as before.
import { describe, expect, it } from 'vitest'
import { jsonText } from '../../renderer/src/features/shell/json-text'

const numbers = Array.from({ length: 3000 }, (_, i) => i)

describe('jsonText', () => {
  it('keeps a small object on one line, valid JSON, and one too wide for a line one member a line', () => {
    expect(jsonText({ n: 3, go: true, name: 'x' })).toEqual({ text: '{"n": 3, "go": true, "name": "x"}', hidden: 0 })
    const wide = { description: 'a'.repeat(50), owner: 'someone', tags: ['red', 'green'] }
    const { text } = jsonText(wide)
    expect(text).toBe(`{\n  "description": "${'a'.repeat(50)}",\n  "owner": "someone",\n  "tags": ["red", "green"]\n}`)
    expect(JSON.parse(text)).toEqual(wide)
  })

  it('cuts a 3,000-number array to its first 100 on a few filled lines, saying how many more there are', () => {
    const { text, hidden } = jsonText({ items: numbers, n: 3000 })
    const lines = text.split('\n')
    expect(hidden).toBe(2900)
    expect(lines.length).toBeLessThan(15) // was 3,004
    expect(lines[1]).toMatch(/^ {2}"items": \[$/)
    expect(lines[2]).toMatch(/^ {4}0, 1, 2, 3, .*, \d+,$/)
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80)
    expect(text).toContain('\n    … 2,900 more items\n  ],\n  "n": 3000\n}')
  })

  it('shows all on request, still filled lines, and then it is the value as JSON', () => {
    const { text, hidden } = jsonText({ items: numbers }, { maxItems: Infinity })
    expect(hidden).toBe(0)
    expect(JSON.parse(text)).toEqual({ items: numbers })
    expect(text.split('\n').length).toBeLessThan(300)
  })

  it('cuts arrays of objects and objects of many keys too, one member a line', () => {
    const rows = Array.from({ length: 250 }, (_, i) => ({ id: i, name: `row ${i}`, note: 'n'.repeat(70) }))
    const { text, hidden } = jsonText(rows)
    expect(hidden).toBe(150)
    expect(text.endsWith('  … 150 more items\n]')).toBe(true)
    const keys = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]))
    expect(jsonText(keys).text.endsWith('  … 1 more key\n}')).toBe(true)
  })
})
