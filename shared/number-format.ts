/**
 * One way to write a number for people: digits grouped by thousands with commas, as in
 * "1,234,567" (up to 3 decimals, as `Number.prototype.toLocaleString` gives by default).
 * Fixed to `en-US` rather than the machine's locale, so a message, a log note or the UI
 * reads the same on every machine and tests can assert it; the whole UI is English.
 */
const GROUPED = new Intl.NumberFormat('en-US')

/** `n` with its digits grouped by thousands: 1234567 → "1,234,567", 0.5 → "0.5"; a bigint exactly, past 2^53 too. */
export const formatCount = (n: number | bigint): string => GROUPED.format(n)

/**
 * `n` with its noun in the right number, digits grouped as formatCount: counted(1, 'task') → "1 task",
 * counted(120000, 'task') → "120,000 tasks", counted(2, 'vertex', 'vertices') → "2 vertices"
 * (`many`: the plural when it is not `one` + "s"). The one helper for messages and the UI alike.
 */
export const counted = (n: number, one: string, many = `${one}s`): string => `${formatCount(n)} ${n === 1 ? one : many}`

const SIZE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/**
 * A size in bytes (or characters) for people: the app's one size formatter (pages, messages, logs).
 * Binary units, named as such (1 KiB = 1,024 bytes, 1 MiB = 1,048,576: a size by 1,024s written "MB"
 * read 4.9% small, #9 importwords), to one decimal: bytes below 1 KiB, KiB below 1 MiB, MiB below
 * 1 GiB, GiB from it: 512 → "512 B", 65536 → "64 KiB", 1572864 → "1.5 MiB", 268435456 → "256 MiB",
 * 21474836480 → "20 GiB".
 */
export function formatSize(bytes: number): string {
  if (bytes < 2 ** 10) return `${GROUPED.format(bytes)} B`
  if (bytes < 2 ** 20) return `${SIZE.format(bytes / 2 ** 10)} KiB`
  if (bytes < 2 ** 30) return `${SIZE.format(bytes / 2 ** 20)} MiB`
  return `${SIZE.format(bytes / 2 ** 30)} GiB`
}
