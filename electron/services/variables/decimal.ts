// Exact decimal arithmetic for numeric script variables (Linkis's BigDecimalValue): `${n+1}` on
// 9223372036854775807 gives 9223372036854775808, not a rounded double. Division keeps 34
// significant digits (Scala BigDecimal's DECIMAL128), exact quotients as short as they go.

/** unscaled × 10^-scale */
export interface Decimal {
  unscaled: bigint
  scale: number
}

const PRECISION = 34
const pow10 = (n: number) => 10n ** BigInt(n)

/**
 * A plain decimal literal (`42`, `-3.50`, `+7`), else null. Like Linkis, a value with a leading
 * zero (`007`, `0.5`) stays a string: it is usually a code, not a number.
 */
export function parseDecimal(text: string): Decimal | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m || text.startsWith('0')) return null
  const frac = m[3] ?? ''
  const unscaled = BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n)
  return { unscaled, scale: frac.length }
}

/** Any decimal literal as an operand, leading zeros allowed. */
export function parseOperand(text: string): Decimal | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return null
  const frac = m[3] ?? ''
  return { unscaled: BigInt(m[2] + frac) * (m[1] === '-' ? -1n : 1n), scale: frac.length }
}

const align = (a: Decimal, b: Decimal): [bigint, bigint, number] => {
  const scale = Math.max(a.scale, b.scale)
  return [a.unscaled * pow10(scale - a.scale), b.unscaled * pow10(scale - b.scale), scale]
}

function divide(a: Decimal, b: Decimal): Decimal {
  if (b.unscaled === 0n) throw new RangeError('division by zero')
  // a/b = (a.u / b.u) × 10^(b.s − a.s); compute with enough extra digits, then trim
  const extra = PRECISION + String(b.unscaled < 0n ? -b.unscaled : b.unscaled).length + 2
  const num = a.unscaled * pow10(extra)
  let q = num / b.unscaled
  const exact = num % b.unscaled === 0n
  let scale = a.scale - b.scale + extra
  const digits = (v: bigint) => String(v < 0n ? -v : v).length
  // round half-even to PRECISION significant digits
  if (!exact || digits(q) > PRECISION) {
    const drop = Math.max(0, digits(q) - PRECISION)
    if (drop > 0) {
      const unit = pow10(drop)
      const rest = q % unit
      q = q / unit
      const half = unit / 2n
      const absRest = rest < 0n ? -rest : rest
      if (absRest > half || (absRest === half && q % 2n !== 0n)) q += q < 0n ? -1n : 1n
      scale -= drop
    }
  }
  return trim({ unscaled: q, scale }, Math.max(0, a.scale - b.scale))
}

/** Drops trailing zeros down to `minScale` (never below 0). */
function trim(d: Decimal, minScale: number): Decimal {
  let { unscaled, scale } = d
  while (scale > minScale && unscaled % 10n === 0n) {
    unscaled /= 10n
    scale--
  }
  while (scale < 0) {
    unscaled *= 10n
    scale++
  }
  return { unscaled, scale }
}

export function calculate(a: Decimal, op: '+' | '-' | '*' | '/', b: Decimal): Decimal {
  if (op === '*') return { unscaled: a.unscaled * b.unscaled, scale: a.scale + b.scale }
  if (op === '/') return divide(a, b)
  const [x, y, scale] = align(a, b)
  return { unscaled: op === '+' ? x + y : x - y, scale }
}

/** As Linkis prints it: whole numbers without a fraction (2.0 → 2), others in plain notation (1.50). */
export function formatDecimal(d: Decimal): string {
  const whole = d.unscaled % pow10(d.scale) === 0n
  if (whole) return String(d.unscaled / pow10(d.scale))
  const neg = d.unscaled < 0n
  const digits = String(neg ? -d.unscaled : d.unscaled).padStart(d.scale + 1, '0')
  return `${neg ? '-' : ''}${digits.slice(0, -d.scale)}.${digits.slice(-d.scale)}`
}
