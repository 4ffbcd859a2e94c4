// An algorithm request's parameters checked against the algorithm's spec: unknown names refused,
// types checked, defaults filled in. Errors name the parameter (field `params.<NAME>`).
import { ALGORITHM_SPECS, paramRangeProblem, type AlgorithmName, type ParamValue } from '../../../shared/algorithms'
import { graphError } from '../errors'

const fail = (name: string, message: string) => graphError('invalid_request', `${name}: ${message}`, { field: `params.${name}` })

/** The parameters with defaults applied. Throws invalid_request naming the parameter. */
export function resolveParams(algorithm: AlgorithmName, given: Record<string, unknown> | undefined): Record<string, ParamValue> {
  const spec = ALGORITHM_SPECS[algorithm]
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    throw graphError('invalid_request', 'params must be an object of parameter name → value', { field: 'params' })
  }
  const input = given ?? {}
  for (const name of Object.keys(input)) {
    if (!spec.params.some((p) => p.name === name)) {
      throw fail(name, `${algorithm} has no such parameter; it takes ${spec.params.map((p) => p.name).join(', ') || 'none'}`)
    }
  }
  const out: Record<string, ParamValue> = {}
  for (const p of spec.params) {
    const raw = input[p.name]
    if (raw === undefined || raw === null || raw === '') {
      if (p.default === undefined) throw fail(p.name, 'is required')
      out[p.name] = p.default
      continue
    }
    const text = String(raw).trim()
    switch (p.type) {
      case 'int': {
        const n = typeof raw === 'number' ? raw : /^[+-]?\d{1,15}$/.test(text) ? Number(text) : NaN
        if (!Number.isSafeInteger(n)) throw fail(p.name, `must be an integer, not ${JSON.stringify(raw)}`)
        out[p.name] = n
        break
      }
      case 'float': {
        const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text)
        if (!Number.isFinite(n)) throw fail(p.name, `must be a number, not ${JSON.stringify(raw)}`)
        out[p.name] = n
        break
      }
      case 'bool': {
        if (raw === true || raw === false) out[p.name] = raw
        else if (/^(true|false)$/i.test(text)) out[p.name] = text.toLowerCase() === 'true'
        else throw fail(p.name, `must be true or false, not ${JSON.stringify(raw)}`)
        break
      }
      case 'enum': {
        if (!p.values!.includes(text)) throw fail(p.name, `must be one of ${p.values!.join(', ')}, not ${JSON.stringify(raw)}`)
        out[p.name] = text
        break
      }
      default:
        if (typeof raw !== 'string' && typeof raw !== 'number') throw fail(p.name, 'must be text')
        if (text.length > 100_000) throw fail(p.name, 'is too long')
        out[p.name] = text
    }
  }
  checkRanges(algorithm, out)
  return out
}

/** Each number inside its parameter's range (the spec's min and max), and the ranges that span two parameters. */
function checkRanges(algorithm: AlgorithmName, p: Record<string, ParamValue>): void {
  for (const spec of ALGORITHM_SPECS[algorithm].params) {
    const problem = typeof p[spec.name] === 'number' ? paramRangeProblem(spec, p[spec.name] as number) : undefined
    if (problem) throw fail(spec.name, problem)
  }
  if (algorithm === 'DegreeCentrality' && (p.STEP === 0 || (p.STEP as number) < -1)) throw fail('STEP', 'must be a positive number of hops, or -1')
  if (algorithm === 'KCore' && (p.KMIN as number) > (p.KMAX as number)) throw fail('KMIN', 'must not exceed KMAX')
}

/** A comma-separated list of vertex ids as given (ROOT, IDS1, src, …), blanks dropped. */
export const idList = (value: ParamValue | undefined): string[] =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
