// Jayway path functions that end a path, such as `$.items.length()`.

import { fail } from './errors'
import { isJsonObject } from './json'

/**
 * Jayway path functions without arguments (length/size, aggregations, keys, first/last). What one
 * walks (a map's keys, a list's numbers) is spent from `spend`, the walk's budget (work.ts), which
 * throws PathBudgetError once it is used up. Throws JsonPathError for an unknown function or an
 * aggregation of no numbers.
 */
export function applyFunction(name: string, model: unknown, spend: (units: number) => void): unknown {
  switch (name) {
    case 'length':
    case 'size':
      if (Array.isArray(model)) return model.length
      return isJsonObject(model) ? keysOf(model, spend).length : null
    case 'keys':
      return isJsonObject(model) ? keysOf(model, spend) : null
    case 'first':
      return Array.isArray(model) && model.length > 0 ? model[0] : null
    case 'last':
      return Array.isArray(model) && model.length > 0 ? model[model.length - 1] : null
    case 'min':
    case 'max':
    case 'sum':
    case 'avg':
    case 'stddev':
      if (Array.isArray(model)) spend(model.length)
      return aggregate(name, model)
    default:
      return fail(`Function of name: ${name} cannot be created`)
  }
}

function keysOf(model: object, spend: (units: number) => void): string[] {
  const keys = Object.keys(model)
  spend(keys.length)
  return keys
}

function aggregate(name: 'min' | 'max' | 'sum' | 'avg' | 'stddev', model: unknown): number {
  const numbers = Array.isArray(model) ? model.filter((v): v is number => typeof v === 'number') : []
  if (numbers.length === 0) fail('Aggregation function attempted to calculate value using empty array')
  const sum = numbers.reduce((a, b) => a + b, 0)
  const avg = sum / numbers.length
  // a loop, not Math.min(...numbers): spreading 200,000 arguments overflows the stack
  if (name === 'min') return numbers.reduce((a, b) => Math.min(a, b))
  if (name === 'max') return numbers.reduce((a, b) => Math.max(a, b))
  if (name === 'sum') return sum
  if (name === 'avg') return avg
  return Math.sqrt(numbers.reduce((a, b) => a + b * b, 0) / numbers.length - avg * avg)
}
