// Calendar arithmetic on wall-clock dates (no time zone, no DST): a Date whose UTC fields hold the
// local date and time. Month and year steps clamp the day as java.util.Calendar and java.time do
// (Mar 31 − 1 month = Feb 28/29), which is what Linkis's date variables are built on.

/** A wall-clock date and time; read and write it only through the helpers below. */
export type Civil = Date

/** The local wall-clock time of `now` as a Civil. */
export const civilOf = (now: Date): Civil =>
  new Date(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours(), now.getMinutes(), now.getSeconds(), now.getMilliseconds()))

export const civil = (year: number, month: number, day: number, hour = 0): Civil => new Date(Date.UTC(year, month - 1, day, hour))

/** Parses yyyyMMdd (and yyyyMMddHH with `withHour`) strictly: 20230230 is refused, not rolled over. */
export function parseCompact(text: string, withHour = false): Civil | null {
  const m = (withHour ? /^(\d{4})(\d\d)(\d\d)(\d\d)$/ : /^(\d{4})(\d\d)(\d\d)$/).exec(text.trim())
  if (!m) return null
  const [y, mo, d, h] = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0)]
  const c = civil(y, mo, d, h)
  return c.getUTCFullYear() === y && c.getUTCMonth() === mo - 1 && c.getUTCDate() === d && h < 24 ? c : null
}

export const addDays = (c: Civil, n: number): Civil => new Date(c.getTime() + n * 86_400_000)
export const addHours = (c: Civil, n: number): Civil => new Date(c.getTime() + n * 3_600_000)
export const addMinutes = (c: Civil, n: number): Civil => new Date(c.getTime() + n * 60_000)
export const addSeconds = (c: Civil, n: number): Civil => new Date(c.getTime() + n * 1000)

const daysIn = (year: number, month0: number) => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate()

/** Moves by whole months, keeping the day where the target month has it, else its last day. */
export function addMonths(c: Civil, n: number): Civil {
  const total = c.getUTCFullYear() * 12 + c.getUTCMonth() + n
  const [year, month0] = [Math.floor(total / 12), ((total % 12) + 12) % 12]
  const d = new Date(c.getTime())
  d.setUTCFullYear(year, month0, Math.min(c.getUTCDate(), daysIn(year, month0)))
  return d
}

export const addYears = (c: Civil, n: number): Civil => addMonths(c, 12 * n)

/** The first day of the month, quarter (3), half-year (6) or year (12) holding `c`, or its last day. */
export function periodEdge(c: Civil, months: 1 | 3 | 6 | 12, end: boolean): Civil {
  const first0 = c.getUTCMonth() - (c.getUTCMonth() % months)
  const begin = civil(c.getUTCFullYear(), first0 + 1, 1)
  return end ? addDays(addMonths(begin, months), -1) : begin
}

const p2 = (n: number) => String(n).padStart(2, '0')
const y4 = (c: Civil) => String(c.getUTCFullYear()).padStart(4, '0')

/** yyyyMMdd, or yyyy-MM-dd when `std`. */
export const formatDay = (c: Civil, std: boolean) => [y4(c), p2(c.getUTCMonth() + 1), p2(c.getUTCDate())].join(std ? '-' : '')
/** yyyyMM, or yyyy-MM when `std`. */
export const formatMonth = (c: Civil, std: boolean) => [y4(c), p2(c.getUTCMonth() + 1)].join(std ? '-' : '')
/** yyyyMMddHH, or "yyyy-MM-dd HH" when `std`. */
export const formatHour = (c: Civil, std: boolean) => `${formatDay(c, std)}${std ? ' ' : ''}${p2(c.getUTCHours())}`
