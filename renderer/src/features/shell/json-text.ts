import { formatCount } from '../../../../shared/number-format'

/**
 * JSON as people read it in a narrow box (a job's context, a task's input): compact where that
 * stays readable, cut where it would run to thousands of lines. As json-stringify-pretty-compact
 * does, an object or array that fits on one line within `width` stays on one line; otherwise its
 * members go one a line, indented by 2. As Prettier fills arrays of numbers, an array of scalars
 * too long for one line fills lines of `width` instead of taking a line per item. As Node's
 * util.inspect does (maxArrayLength), an array or object of more than `maxItems` members shows
 * its first `maxItems` and a line `… N more items` (or keys), which is not JSON: `hidden` says how
 * many members were left out in all, so the caller can offer the whole text (maxItems: Infinity),
 * which is always valid JSON.
 */
export interface JsonTextOptions {
  /** The line width, in characters, that compact forms fit in (default 80). */
  width?: number
  /** The most members of one array or object shown (default 100; Infinity: all). */
  maxItems?: number
}

/** `text`: the value written; `hidden`: how many array items and object keys it left out (0: the text is the whole value, as JSON). */
export function jsonText(value: unknown, o: JsonTextOptions = {}): { text: string; hidden: number } {
  const width = o.width ?? 80
  const maxItems = o.maxItems ?? 100
  let hidden = 0

  const scalar = (v: unknown): string => JSON.stringify(v) ?? 'null' // undefined and functions as JSON.stringify writes them in arrays
  const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object'
  const more = (n: number, what: string) => `… ${formatCount(n)} more ${what}${n === 1 ? '' : 's'}`

  /** `v` on one line if it fits in `room` characters and shows whole, else null (given up as soon as it cannot fit). */
  function oneLine(v: unknown, room: number): string | null {
    if (isScalar(v)) {
      const s = scalar(v)
      return s.length <= room ? s : null
    }
    const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v as object)
    if (entries.length > maxItems) return null
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}']
    let out = open
    for (const [i, [key, x]] of entries.entries()) {
      const head = `${i > 0 ? ', ' : ''}${Array.isArray(v) ? '' : `${JSON.stringify(key)}: `}`
      const inner = oneLine(x, room - out.length - head.length - close.length)
      if (inner === null) return null
      out += head + inner
    }
    out += close
    return out.length <= room ? out : null
  }

  function write(v: unknown, indent: string): string {
    const flat = oneLine(v, width - indent.length)
    if (flat !== null) return flat
    if (isScalar(v)) return scalar(v) // a long string: on its line whatever its length
    const inner = `${indent}  `
    const array = Array.isArray(v)
    const entries = array ? v.map((x) => ['', x] as const) : Object.entries(v as object)
    const shown = entries.slice(0, maxItems)
    const left = entries.length - shown.length
    hidden += left
    const lines: string[] = []
    if (array && shown.every(([, x]) => isScalar(x))) {
      // fill lines, as Prettier does for numbers
      let line = ''
      for (const [i, [, x]] of shown.entries()) {
        const item = scalar(x) + (i < shown.length - 1 || left > 0 ? ',' : '')
        if (line && inner.length + line.length + 1 + item.length > width) {
          lines.push(inner + line)
          line = item
        } else line = line ? `${line} ${item}` : item
      }
      if (line) lines.push(inner + line)
    } else {
      for (const [i, [key, x]] of shown.entries()) {
        const comma = i < shown.length - 1 || left > 0 ? ',' : ''
        lines.push(`${inner}${array ? '' : `${JSON.stringify(key)}: `}${write(x, inner)}${comma}`)
      }
    }
    if (left > 0) lines.push(inner + more(left, array ? 'item' : 'key'))
    return `${array ? '[' : '{'}\n${lines.join('\n')}\n${indent}${array ? ']' : '}'}`
  }

  const text = write(value, '')
  return { text, hidden }
}
