// Filter compiler (Jayway FilterCompiler: `||` of `&&` of operands, operand = relation | (expr) | !operand).
// Literals (strings, numbers, JSON, /regex/) become values in the FilterNode tree, never code;
// regexes compile to RE2 patterns (pattern.ts).

import { isBlankChar, matchingClose, nextUnescaped, NUMBER_CHARS, REL_CHARS, unescape } from './chars'
import { isRelOp, type CompiledPath, type FilterNode, type Operand, type RelOp } from './compiled'
import { fail, JsonPathError } from './errors'
import { DECIMAL } from './json'
import { FilterPattern, PatternSyntaxError } from './pattern'

/**
 * Characters a filter predicate `( … )` may have. Real Rill Flow filters are tens of characters
 * (`[?(@.result_type == "SUCCESS")]`); a 4,000-term `||` chain of 40 KB held the thread seconds
 * to evaluate, and nothing below its length stops a stored descriptor from carrying one.
 */
export const MAX_FILTER_LENGTH = 2000

/** A filter predicate longer than MAX_FILTER_LENGTH: refused when compiled (and when a descriptor carrying it is added). */
export class FilterTooLongError extends JsonPathError {
  constructor(message: string) {
    super(message)
    this.name = 'FilterTooLongError'
  }
}

/** Compiles a path operand such as `@.price`; injected because the path parser in turn calls this one. */
type PathCompiler = (text: string) => CompiledPath

class FilterParser {
  private pos = 0

  constructor(
    private readonly text: string,
    private readonly compilePath: PathCompiler,
  ) {}

  parse(): FilterNode {
    const node = this.readOr()
    this.skipBlanks()
    if (this.pos < this.text.length) fail(`Expected end of filter expression instead of: ${this.text.slice(this.pos)}`)
    return node
  }

  private peek(): string {
    return this.text.charAt(this.pos)
  }

  private skipBlanks(): void {
    while (isBlankChar(this.peek())) this.pos++
  }

  private consume(symbol: string): boolean {
    this.skipBlanks()
    if (!this.text.startsWith(symbol, this.pos)) return false
    this.pos += symbol.length
    return true
  }

  private readOr(): FilterNode {
    const ops = [this.readAnd()]
    while (this.consume('||')) ops.push(this.readAnd())
    return ops.length === 1 && ops[0] ? ops[0] : { kind: 'or', ops }
  }

  private readAnd(): FilterNode {
    const ops = [this.readOperand()]
    while (this.consume('&&')) ops.push(this.readOperand())
    return ops.length === 1 && ops[0] ? ops[0] : { kind: 'and', ops }
  }

  private readOperand(): FilterNode {
    this.skipBlanks()
    const save = this.pos
    if (this.peek() === '!') {
      this.pos++
      this.skipBlanks()
      // `!@.x` is a non-existence check, read as a relation; `!(…)` negates.
      if (this.peek() !== '$' && this.peek() !== '@') return { kind: 'not', op: this.readOperand() }
      this.pos = save
    }
    if (this.peek() === '(') {
      this.pos++
      const node = this.readOr()
      if (!this.consume(')')) fail(`Expected ')' in filter: ${this.text}`)
      return node
    }
    return this.readExpression()
  }

  private readExpression(): FilterNode {
    const left = this.readValue()
    const save = this.pos
    try {
      const op = this.readRelOp()
      const right = this.readValue()
      return { kind: 'rel', op, left, right }
    } catch (err) {
      // a regex RE2 refuses is an error in its own right, not a missing operator
      if (!(err instanceof JsonPathError) || err instanceof PatternSyntaxError) throw err
      this.pos = save
    }
    // No operator: a bare path is an existence check.
    if (left.kind !== 'path') fail(`Expected a path to test for existence in filter: ${this.text}`)
    return { kind: 'exists', path: left.path, shouldExist: left.shouldExist }
  }

  private readRelOp(): RelOp {
    this.skipBlanks()
    const begin = this.pos
    const symbolic = REL_CHARS.includes(this.peek()) && this.peek() !== ''
    while (this.pos < this.text.length) {
      const c = this.peek()
      if (symbolic ? !REL_CHARS.includes(c) : c === ' ') break
      this.pos++
    }
    const op = this.text.slice(begin, this.pos).toUpperCase()
    if (!isRelOp(op)) return fail(`Filter operator ${op} is not supported!`)
    return op
  }

  private readValue(): Operand {
    this.skipBlanks()
    const c = this.peek()
    if (c === '$' || c === '@') return this.readPathOperand()
    if (c === '!') {
      this.pos++
      this.skipBlanks()
      if (this.peek() === '$' || this.peek() === '@') return this.readPathOperand()
      fail(`Unexpected character: ! in filter: ${this.text}`)
    }
    return { kind: 'literal', value: this.readLiteral() }
  }

  private previousSignificant(): string {
    let i = this.pos - 1
    while (i >= 0 && isBlankChar(this.text.charAt(i))) i--
    return this.text.charAt(i)
  }

  /** A path runs to a blank, an operator character or a `)` that does not close `fn()`. */
  private readPathOperand(): Operand {
    const shouldExist = this.previousSignificant() !== '!'
    const begin = this.pos
    this.pos++
    while (this.pos < this.text.length) {
      if (this.peek() === '[') {
        const close = matchingClose(this.text, this.pos, '[', ']', false)
        if (close === -1) fail(`Square brackets do not match in filter: ${this.text}`)
        this.pos = close + 1
        if (this.pos >= this.text.length) break
      }
      const c = this.peek()
      if (c === ')' && !this.closesFunction(begin)) break
      if (c === ' ' || REL_CHARS.includes(c)) break
      this.pos++
    }
    return { kind: 'path', path: this.compilePath(this.text.slice(begin, this.pos)), shouldExist }
  }

  private closesFunction(begin: number): boolean {
    let i = this.pos - 1
    while (i >= 0 && isBlankChar(this.text.charAt(i))) i--
    if (this.text.charAt(i) !== '(') return false
    for (i--; i > begin; i--) if (this.text.charAt(i) === '.') return true
    return false
  }

  private readLiteral(): unknown {
    const c = this.peek()
    if (c === "'" || c === '"') return this.readString(c)
    if (c === 't' || c === 'f') return this.readWord(c === 't' ? 'true' : 'false', c === 't')
    if (c === 'n') return this.readWord('null', null)
    if (c === '{' || c === '[') return this.readJson(c)
    if (c === '/') return this.readPattern()
    return this.readNumber()
  }

  private readString(quote: string): string {
    const close = nextUnescaped(this.text, this.pos, quote)
    if (close === -1) fail(`String literal does not have matching quotes. Expected ${quote} in ${this.text}`)
    const raw = this.text.slice(this.pos + 1, close)
    this.pos = close + 1
    return unescape(raw)
  }

  private readWord<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) fail(`Expected <${word}> in filter: ${this.text}`)
    this.pos += word.length
    return value
  }

  private readJson(open: string): unknown {
    const close = matchingClose(this.text, this.pos, open, open === '[' ? ']' : '}', false)
    if (close === -1) fail(`JSON literal not closed in filter: ${this.text}`)
    const raw = this.text.slice(this.pos, close + 1)
    this.pos = close + 1
    return parsePermissiveJson(raw)
  }

  private readPattern(): FilterPattern {
    const close = nextUnescaped(this.text, this.pos, '/')
    if (close === -1) fail(`Pattern not closed. Expected / in ${this.text}`)
    const source = this.text.slice(this.pos + 1, close)
    let end = close + 1
    while (/[a-zA-Z]/.test(this.text.charAt(end))) end++
    const flags = this.text.slice(close + 1, end)
    this.pos = end
    return FilterPattern.compile(source, flags)
  }

  private readNumber(): number {
    const begin = this.pos
    while (this.pos < this.text.length && NUMBER_CHARS.includes(this.peek())) this.pos++
    const raw = this.text.slice(begin, this.pos)
    if (!DECIMAL.test(raw)) fail(`Invalid literal '${raw || this.peek()}' in filter: ${this.text}`)
    return Number(raw)
  }
}

/** Jayway parses JSON literals permissively; accept 'single-quoted' strings as json-smart does. */
function parsePermissiveJson(raw: string): unknown {
  let out = ''
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i)
    if (c === '"' || c === "'") {
      const close = nextUnescaped(raw, i, c)
      if (close === -1) fail(`Invalid JSON literal: ${raw}`)
      out += c === '"' ? raw.slice(i, close + 1) : JSON.stringify(unescape(raw.slice(i + 1, close)))
      i = close
    } else out += c
  }
  try {
    return JSON.parse(out) as unknown
  } catch {
    return fail(`Invalid JSON literal: ${raw}`)
  }
}

/**
 * Parses the parenthesised predicate of `[?( … )]` (`text`, parentheses included). Throws
 * FilterTooLongError when it is longer than MAX_FILTER_LENGTH, JsonPathError for bad syntax.
 */
export function parseFilter(text: string, compilePath: PathCompiler): FilterNode {
  if (text.length > MAX_FILTER_LENGTH) {
    const shown = `${text.slice(0, 60)}…`
    throw new FilterTooLongError(`the filter ${shown} has ${text.length} characters; at most ${MAX_FILTER_LENGTH} are accepted`)
  }
  return new FilterParser(text, compilePath).parse()
}
