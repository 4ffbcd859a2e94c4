// Path compiler (Jayway PathCompiler): path text to a cached CompiledPath. Filter predicates
// `[?( … )]` are handed to filter-parser.ts and compiled into safe-eval programs.

import { matchingClose, nextSignificant, unescape } from './chars'
import { CompiledPath, type Token } from './compiled'
import { fail } from './errors'
import { toSafeProgram } from './filter'
import { parseFilter } from './filter-parser'

const compiled = new Map<string, CompiledPath>()
/** Paths kept compiled, and their characters together: a path's compiled form grows with its text. */
const COMPILE_CACHE_LIMIT = 1000
const COMPILE_CACHE_CHARS = 200_000
let compiledChars = 0

/**
 * The compiled form of `text`, from a cache bounded by count and characters (emptied when full).
 * Throws JsonPathError for bad syntax, FilterTooLongError and PatternSyntaxError for filters refused.
 */
export function compilePath(text: string): CompiledPath {
  const cached = compiled.get(text)
  if (cached) return cached
  const path = compileUncached(text)
  if (compiled.size >= COMPILE_CACHE_LIMIT || compiledChars + text.length > COMPILE_CACHE_CHARS) {
    compiled.clear()
    compiledChars = 0
  }
  compiled.set(text, path)
  compiledChars += text.length
  return path
}

function compileUncached(text: string): CompiledPath {
  let src = text.trim()
  // Jayway treats a path without a root as relative to `$`.
  if (!src.startsWith('$') && !src.startsWith('@')) src = `$.${src}`
  if (src.endsWith('.')) fail("Path must not end with a '.' or '..'")
  if (src.length > 1 && src.charAt(1) !== '.' && src.charAt(1) !== '[') {
    fail(`Illegal character at position 1 expected '.' or '[': ${text}`)
  }
  const tokens = readTokens(src)
  tokens.forEach((t, i) => {
    if (t.kind === 'func' && i !== tokens.length - 1) fail(`Function ${t.name}() must end the path: ${text}`)
  })
  return new CompiledPath(text, src.startsWith('@'), tokens)
}

function readTokens(src: string): Token[] {
  const tokens: Token[] = []
  let pos = 1
  while (pos < src.length) {
    const c = src.charAt(pos)
    if (c === '[') pos = readBracket(src, pos, tokens)
    else if (c === '.') pos = readDot(src, pos, tokens)
    else if (c === '*') {
      tokens.push({ kind: 'wildcard' })
      pos++
    } else pos = readProperty(src, pos, tokens)
  }
  return tokens
}

/** `.` separates tokens; `..` is a deep scan. Note `a.[x]` is just `a[x]` in Jayway. */
function readDot(src: string, pos: number, tokens: Token[]): number {
  let next = pos + 1
  if (src.charAt(next) === '.') {
    tokens.push({ kind: 'scan' })
    next++
  }
  if (src.charAt(next) === '.') fail(`Character '.' on position ${next} is not valid: ${src}`)
  if (next >= src.length) fail("Path must not end with a '.'")
  return next
}

function readProperty(src: string, pos: number, tokens: Token[]): number {
  let end = pos
  while (end < src.length) {
    const c = src.charAt(end)
    if (c === ' ') fail(`Use bracket notation ['my prop'] if a property contains blanks: ${src}`)
    if (c === '.' || c === '[' || c === '(') break
    end++
  }
  const name = src.slice(pos, end)
  if (name === '') fail(`Could not parse token starting at position ${pos}: ${src}`)
  if (src.charAt(end) !== '(') {
    tokens.push({ kind: 'prop', names: [name] })
    return end
  }
  if (src.charAt(end + 1) !== ')') fail(`Function arguments are not supported: ${name}(…)`)
  tokens.push({ kind: 'func', name })
  return end + 2
}

function readBracket(src: string, pos: number, tokens: Token[]): number {
  const { ch, index } = nextSignificant(src, pos + 1)
  if (ch === "'" || ch === '"') return readBracketProperties(src, pos, ch, tokens)
  if (ch !== '' && '0123456789-:'.includes(ch)) return readArrayToken(src, pos, tokens)
  if (ch === '*') {
    const close = nextSignificant(src, index + 1)
    if (close.ch !== ']') fail(`Expected wildcard token to end with ']' on position ${close.index}`)
    tokens.push({ kind: 'wildcard' })
    return close.index + 1
  }
  if (ch === '?') return readFilterToken(src, index, tokens)
  return fail(`Could not parse token starting at position ${pos}. Expected ?, ', 0-9, *: ${src}`)
}

/** `['a']`, `["a.b"]`, `['a','b']`. */
function readBracketProperties(src: string, pos: number, quote: string, tokens: Token[]): number {
  const names: string[] = []
  let start = pos + 1
  let inProperty = false
  let escaped = false
  let lastWasComma = false
  let i = pos + 1
  for (; i < src.length; i++) {
    const c = src.charAt(i)
    if (escaped) escaped = false
    else if (c === '\\') escaped = true
    else if (c === ']' && !inProperty) break
    else if (c === quote && inProperty) {
      const after = nextSignificant(src, i + 1).ch
      if (after !== ']' && after !== ',') fail(`Property must be separated by comma or terminated by ']' at ${i}`)
      names.push(unescape(src.slice(start, i)))
      inProperty = false
    } else if (c === quote) {
      start = i + 1
      inProperty = true
      lastWasComma = false
    } else if (c === ',' && !inProperty) {
      if (lastWasComma) fail(`Found empty property at index ${i}`)
      lastWasComma = true
    }
  }
  if (inProperty) fail(`Property has not been closed - missing closing ${quote}`)
  if (i >= src.length) fail('Property has not been closed - missing closing ]')
  if (lastWasComma || names.length === 0) fail(`Found empty property at index ${i}`)
  tokens.push({ kind: 'prop', names })
  return i + 1
}

/** `[1]`, `[1,2]`, `[-1]`, `[1:3]`, `[:2]`, `[-2:]`. */
function readArrayToken(src: string, pos: number, tokens: Token[]): number {
  const close = src.indexOf(']', pos + 1)
  if (close === -1) fail(`Could not parse array token at position ${pos}: ${src}`)
  const expr = src.slice(pos + 1, close).trim()
  if (!/^[0-9,\-: ]+$/.test(expr)) fail(`Could not parse array token '${expr}': ${src}`)
  tokens.push(expr.includes(':') ? parseSlice(expr) : { kind: 'index', indexes: expr.split(',').map(parseIndex) })
  return close + 1
}

function parseIndex(text: string): number {
  const trimmed = text.trim()
  if (!/^-?\d+$/.test(trimmed)) fail(`Invalid array index '${text}'`)
  return Number(trimmed)
}

function parseSlice(expr: string): Token {
  const parts = expr.split(':')
  if (parts.length !== 2) fail(`Only [from:to] slices are supported: [${expr}]`)
  const [fromText = '', toText = ''] = parts
  const from = fromText.trim() === '' ? null : parseIndex(fromText)
  const to = toText.trim() === '' ? null : parseIndex(toText)
  if (from === null && to === null) fail(`Invalid slice [${expr}]`)
  return { kind: 'slice', from, to }
}

/** `[?( … )]`: the predicate is compiled once, into a jsonpath-plus safe-eval program. */
function readFilterToken(src: string, questionMark: number, tokens: Token[]): number {
  const open = nextSignificant(src, questionMark + 1)
  if (open.ch !== '(') fail(`Expected '(' after '[?': ${src}`)
  const closeParen = matchingClose(src, open.index, '(', ')', true)
  if (closeParen === -1) fail(`Unbalanced parentheses in filter: ${src}`)
  const closeBracket = nextSignificant(src, closeParen + 1)
  if (closeBracket.ch !== ']') fail(`Filter must end with ')]': ${src}`)
  const predicate = parseFilter(src.slice(open.index, closeParen + 1), compilePath)
  tokens.push({ kind: 'filter', program: toSafeProgram(predicate) })
  return closeBracket.index + 1
}
