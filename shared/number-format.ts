/**
 * One way to write a number for people: digits grouped by thousands with commas, as in
 * "1,234,567" (up to 3 decimals, as `Number.prototype.toLocaleString` gives by default).
 * Fixed to `en-US` rather than the machine's locale, so a message, a log note or the UI
 * reads the same on every machine and tests can assert it; the whole UI is English.
 */
const GROUPED = new Intl.NumberFormat('en-US')

/** `n` with its digits grouped by thousands: 1234567 → "1,234,567", 0.5 → "0.5". */
export const formatCount = (n: number): string => GROUPED.format(n)

/**
 * `n` with its noun in the right number, digits grouped as formatCount: counted(1, 'task') → "1 task",
 * counted(120000, 'task') → "120,000 tasks", counted(2, 'vertex', 'vertices') → "2 vertices"
 * (`many`: the plural when it is not `one` + "s"). The one helper for messages and the UI alike.
 */
export const counted = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`

const SIZE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/**
 * A size in bytes (or characters) for people, in binary units to one decimal: MiB below 1 GiB, GiB
 * from it: 268435456 → "256 MiB", 1572864 → "1.5 MiB", 21474836480 → "20 GiB".
 */
export const formatSize = (bytes: number): string => (bytes >= 2 ** 30 ? `${SIZE.format(bytes / 2 ** 30)} GiB` : `${SIZE.format(bytes / 2 ** 20)} MiB`)
