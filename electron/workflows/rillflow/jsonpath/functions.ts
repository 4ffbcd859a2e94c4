// Jayway path functions that end a path, such as `$.items.length()`.

import { fail } from './errors'
import { isJsonObject } from './json'

/** Jayway path functions without arguments (length/size, aggregations, keys, first/last). */
export function applyFunction(name: string, model: unknown): unknown {
  switch (name) {
    case 'length':
    case 'size':
      if (Array.isArray(model)) return model.length
      return isJsonObject(model) ? Object.keys(model).length : null
    case 'keys':
      return isJsonObject(model) ? Object.keys(model) : null
    case 'first':
      return Array.isArray(model) && model.length > 0 ? model[0] : null
    case 'last':
      return Array.isArray(model) && model.length > 0 ? model[model.length - 1] : null
    case 'min':
    case 'max':
    case 'sum':
    case 'avg':
    case 'stddev':
      return aggregate(name, model)
    default:
      return fail(`Function of name: ${name} cannot be created`)
  }
}

function aggregate(name: 'min' | 'max' | 'sum' | 'avg' | 'stddev', model: unknown): number {
  const numbers = Array.isArray(model) ? model.filter((v): v is number => typeof v === 'number') : []
  if (numbers.length === 0) fail('Aggregation function attempted to calculate value using empty array')
  const sum = numbers.reduce((a, b) => a + b, 0)
  const avg = sum / numbers.length
  if (name === 'min') return Math.min(...numbers)
  if (name === 'max') return Math.max(...numbers)
  if (name === 'sum') return sum
  if (name === 'avg') return avg
  return Math.sqrt(numbers.reduce((a, b) => a + b * b, 0) / numbers.length - avg * avg)
}
