// TuGraph's name rules (tugraph-db: src/core/defs.h CheckValidName) with its texts: 1..N bytes,
// not starting with a digit, ASCII letters, digits and underscore (any non-ASCII character is allowed).
import { graphError } from '../errors'

const MAX_GRAPH_NAME = 64
const MAX_LABEL_NAME = 256
const MAX_FIELD_NAME = 256
/** Limits of tugraph-db src/core/defs.h. */
export const MAX_LABELS = 4096
export const MAX_FIELDS = 1024

function check(name: unknown, max: number, prefix: string): string {
  const text = typeof name === 'string' ? name : ''
  const bytes = Buffer.byteLength(text)
  if (bytes === 0 || bytes > max) {
    throw graphError('invalid_name', `${prefix}name length must be between 1 and ${max}, given [${bytes}]`)
  }
  if (text[0] >= '0' && text[0] <= '9') throw graphError('invalid_name', `${prefix}name cannot begin with a digit.`)
  for (const ch of text) {
    const code = ch.codePointAt(0)!
    if (code < 128 && !/[A-Za-z0-9_]/.test(ch)) {
      throw graphError('invalid_name', `${prefix}name can only contain alphabetic and numeric characters and underscore.`)
    }
  }
  return text
}

// Device names Windows reserves whatever the extension: a graph named so could not be a file there.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])$/i

/** A graph name as TuGraph allows it (and as a file name on every OS); returns it or throws invalid_name. */
export function checkGraphName(name: unknown): string {
  const text = check(name, MAX_GRAPH_NAME, 'Invalid Graph: ')
  if (WINDOWS_RESERVED.test(text)) throw graphError('invalid_name', `Invalid Graph: [${text}] is a reserved device name on Windows.`)
  return text
}

export const checkLabelName = (name: unknown): string => check(name, MAX_LABEL_NAME, 'Invalid Label: ')
export const checkFieldName = (name: unknown): string => check(name, MAX_FIELD_NAME, 'Invalid Field: ')

/** Column words of a file mapping that are not property names. */
export const RESERVED_COLUMNS: ReadonlySet<string> = new Set(['SKIP', 'SRC_ID', 'DST_ID'])
