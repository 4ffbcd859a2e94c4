// Linkis's pattern date placeholders, `&{yyyyMMdd%-1d}` (linkis-common VariableOperationUtils.java;
// linkis-website docs/user-guide/dynamic-variables.md): run_date at the current time of day, moved
// by each `%±N<unit>` (y M d H m s) in turn, then formatted with a java.time pattern. A placeholder
// whose pattern or step cannot be read is left as written, as upstream does.

import { addDays, addHours, addMinutes, addMonths, addSeconds, addYears, type Civil } from './civil-date'

export const PLACEHOLDER = /&\{([^}]*)\}/g

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** One run of a pattern letter (`yyyy`, `MM`, …) → text, or null when the letter is not supported. */
function field(letter: string, count: number, c: Civil): string | null {
  const h = c.getUTCHours()
  switch (letter) {
    case 'y':
    case 'u':
      return count === 2 ? pad(c.getUTCFullYear() % 100, 2) : pad(c.getUTCFullYear(), count)
    case 'M':
    case 'L':
      if (count === 3) return MONTHS[c.getUTCMonth()].slice(0, 3)
      return count >= 4 ? MONTHS[c.getUTCMonth()] : pad(c.getUTCMonth() + 1, count)
    case 'Q':
      return pad(Math.floor(c.getUTCMonth() / 3) + 1, count)
    case 'd':
      return pad(c.getUTCDate(), count)
    case 'D': {
      const start = Date.UTC(c.getUTCFullYear(), 0, 1)
      return pad(Math.floor((c.getTime() - start) / 86_400_000) + 1, count)
    }
    case 'E':
      return count >= 4 ? DAYS[c.getUTCDay()] : DAYS[c.getUTCDay()].slice(0, 3)
    case 'a':
      return h < 12 ? 'AM' : 'PM'
    case 'H':
      return pad(h, count)
    case 'k':
      return pad(h === 0 ? 24 : h, count)
    case 'K':
      return pad(h % 12, count)
    case 'h':
      return pad(h % 12 === 0 ? 12 : h % 12, count)
    case 'm':
      return pad(c.getUTCMinutes(), count)
    case 's':
      return pad(c.getUTCSeconds(), count)
    case 'S':
      return pad(c.getUTCMilliseconds(), 3).padEnd(count, '0').slice(0, count)
    default:
      return null
  }
}

/** Formats with a java.time DateTimeFormatter pattern (the letters above, 'quoted' text, other characters as they are). */
export function formatPattern(pattern: string, c: Civil): string | null {
  let out = ''
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern[i]
    if (ch === "'") {
      const close = pattern.indexOf("'", i + 1)
      if (close < 0) return null
      out += close === i + 1 ? "'" : pattern.slice(i + 1, close)
      i = close + 1
    } else if (/[A-Za-z]/.test(ch)) {
      let j = i
      while (pattern[j] === ch) j++
      const text = field(ch, j - i, c)
      if (text === null) return null
      out += text
      i = j
    } else {
      out += ch
      i++
    }
  }
  return out
}

const STEPS: Record<string, (c: Civil, n: number) => Civil> = { y: addYears, M: addMonths, d: addDays, H: addHours, m: addMinutes, s: addSeconds }

/** `yyyyMMdd%-1d%+2H` at `base` → the text, or null when it cannot be read (then it stays as written). */
export function evaluatePlaceholder(content: string, base: Civil): string | null {
  const [pattern, ...steps] = content.trim().split('%')
  let at = base
  for (const s of steps) {
    if (!s) continue
    const m = /^([+-]?\d{1,6})([yMdHms])$/.exec(s.trim())
    if (!m) return null
    at = STEPS[m[2]](at, Number(m[1]))
  }
  return formatPattern(pattern, at)
}
