// TuGraph's name rules (tugraph-db: src/core/defs.h CheckValidName) with its texts: 1..N bytes,
// not starting with a digit, ASCII letters, digits and underscore (any non-ASCII character is
// allowed); a graph name also no device name Windows reserves (a graph is a file). Shared so the
// graph store, the graph workflow validator and the canvas judge names by the one rule.

import { isWindowsDeviceName } from './file-names'
import { nameCharProblem } from './hidden-chars'

export const MAX_GRAPH_NAME = 64
export const MAX_LABEL_NAME = 256
export const MAX_FIELD_NAME = 256

const utf8Bytes = (text: string): number => new TextEncoder().encode(text).length
/**
 * An ASCII character that is not a letter, digit or underscore (any other character is allowed). One
 * test of the whole name, not one per character: a schema call checks up to a million names (atk16).
 * UTF-16 code units below 128 are only ever ASCII characters, never half of a surrogate pair.
 */
const ASCII_BUT_WORD = /[\x00-\x2F\x3A-\x40\x5B-\x5E\x60\x7B-\x7F]/

/** What is wrong with a name by TuGraph's rule (its text, after `prefix`), or null when it is fine. */
export function nameProblem(name: unknown, max: number, prefix: string): string | null {
  const text = typeof name === 'string' ? name : ''
  const bytes = utf8Bytes(text)
  if (bytes === 0 || bytes > max) return `${prefix}name length must be between 1 and ${max}, given [${bytes}]`
  if (text[0] >= '0' && text[0] <= '9') return `${prefix}name cannot begin with a digit.`
  if (ASCII_BUT_WORD.test(text)) return `${prefix}name can only contain alphabetic and numeric characters and underscore.`
  return null
}

/**
 * What is wrong with the name of a thing about to be made: TuGraph's rule, then a control or invisible
 * character (#9: TuGraph allows any non-ASCII character, bidi overrides included). Only for making
 * names: a graph or label made before this rule keeps its name and is still found by it.
 */
function newNameProblem(name: unknown, max: number, prefix: string): string | null {
  const chars = nameCharProblem(name)
  return nameProblem(name, max, prefix) ?? (chars ? `${prefix}name ${chars}` : null)
}

/** What is wrong with a new label name (TuGraph's text, `Invalid Label: …`), or null: the rule every way of making a label applies. */
export const labelNameProblem = (name: unknown): string | null => newNameProblem(name, MAX_LABEL_NAME, 'Invalid Label: ')

/** What is wrong with a new property (field) name (TuGraph's text, `Invalid Field: …`), or null. */
export const fieldNameProblem = (name: unknown): string | null => newNameProblem(name, MAX_FIELD_NAME, 'Invalid Field: ')

/**
 * What is wrong with a graph name (TuGraph's text, `Invalid Graph: …`), or null when it is fine: the
 * rule a name is looked up by (newGraphNameProblem adds what a new graph's name must also meet).
 */
export function graphNameProblem(name: unknown): string | null {
  const problem = nameProblem(name, MAX_GRAPH_NAME, 'Invalid Graph: ')
  if (problem) return problem
  // a graph is a file: a device name could not be one on Windows
  return isWindowsDeviceName(name as string) ? `Invalid Graph: [${name as string}] is a reserved device name on Windows.` : null
}

/** What is wrong with the name of a graph about to be made: graphNameProblem's, then a control or invisible character. */
export function newGraphNameProblem(name: unknown): string | null {
  const chars = nameCharProblem(name)
  return graphNameProblem(name) ?? (chars ? `Invalid Graph: name ${chars}` : null)
}
