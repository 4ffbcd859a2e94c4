// Tokenizer for the Aviator subset interpreted by index.ts, first stage before parser.ts.
// It produces a flat token array with positions so every syntax error can point at a line and column.

export interface SourcePosition {
  line: number
  column: number
}

export class AviatorError extends Error {
  constructor(
    message: string,
    readonly position?: SourcePosition
  ) {
    super(position ? `${message} at line ${position.line}, column ${position.column}` : message)
    this.name = 'AviatorError'
  }
}

export type TokenKind = 'num' | 'str' | 'ident' | 'op' | 'eof'

export interface Token {
  kind: TokenKind
  /** Raw text for idents/ops, decoded text for strings, literal text for numbers. */
  text: string
  /** Numeric value, and whether Aviator would type the literal as a double (has '.'/exponent). */
  num?: number
  isDouble?: boolean
  pos: SourcePosition
}

// Longest operators first so '==' wins over '='.
const OPERATORS = [
  '**', '==', '!=', '<=', '>=', '&&', '||',
  '+', '-', '*', '/', '%', '<', '>', '!', '=', '?', ':',
  '(', ')', '[', ']', '{', '}', ',', ';', '.'
]

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '\\': '\\', "'": "'", '"': '"' }

const IDENT_START = /[\p{L}_$]/u
const IDENT_PART = /[\p{L}\p{N}_$]/u

class Lexer {
  private i = 0
  private line = 1
  private col = 1
  readonly tokens: Token[] = []

  constructor(private readonly src: string) {}

  run(): Token[] {
    for (;;) {
      this.skipTrivia()
      const pos = this.pos()
      if (this.i >= this.src.length) {
        this.tokens.push({ kind: 'eof', text: '<end of input>', pos })
        return this.tokens
      }
      this.tokens.push(this.next(pos))
    }
  }

  private pos(): SourcePosition {
    return { line: this.line, column: this.col }
  }

  private advance(n = 1): void {
    for (let k = 0; k < n; k++) {
      if (this.src[this.i] === '\n') {
        this.line++
        this.col = 1
      } else {
        this.col++
      }
      this.i++
    }
  }

  /** Whitespace and Aviator '##' line comments. */
  private skipTrivia(): void {
    while (this.i < this.src.length) {
      const c = this.src[this.i]
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') this.advance()
      else if (c === '#' && this.src[this.i + 1] === '#') {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.advance()
      } else return
    }
  }

  private next(pos: SourcePosition): Token {
    const c = this.src[this.i]
    if (/[0-9]/.test(c)) return this.number(pos)
    if (c === '"' || c === "'") return this.string(pos, c)
    if (IDENT_START.test(c)) return this.ident(pos)
    const op = OPERATORS.find((o) => this.src.startsWith(o, this.i))
    if (!op) throw new AviatorError(`Unexpected character '${c}'`, pos)
    this.advance(op.length)
    return { kind: 'op', text: op, pos }
  }

  private number(pos: SourcePosition): Token {
    const rest = this.src.slice(this.i)
    const hex = /^0[xX][0-9a-fA-F]+/.exec(rest)
    if (hex) {
      this.advance(hex[0].length)
      return { kind: 'num', text: hex[0], num: parseInt(hex[0].slice(2), 16), isDouble: false, pos }
    }
    // A '.' only belongs to the number when a digit follows, so `a[0].b` still lexes as member access.
    const m = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(rest)
    const text = m ? m[0] : rest[0]
    this.advance(text.length)
    return { kind: 'num', text, num: Number(text), isDouble: /[.eE]/.test(text), pos }
  }

  private string(pos: SourcePosition, quote: string): Token {
    this.advance()
    let out = ''
    for (;;) {
      if (this.i >= this.src.length) throw new AviatorError('Unterminated string literal', pos)
      const c = this.src[this.i]
      if (c === quote) {
        this.advance()
        return { kind: 'str', text: out, pos }
      }
      if (c === '\\') {
        out += this.escape()
        continue
      }
      out += c
      this.advance()
    }
  }

  private escape(): string {
    const at = this.pos()
    const e = this.src[this.i + 1]
    if (e === 'u') {
      const hex = this.src.slice(this.i + 2, this.i + 6)
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new AviatorError('Invalid unicode escape', at)
      this.advance(6)
      return String.fromCharCode(parseInt(hex, 16))
    }
    const mapped = e === undefined ? undefined : ESCAPES[e]
    if (mapped === undefined) throw new AviatorError(`Invalid escape '\\${e ?? ''}'`, at)
    this.advance(2)
    return mapped
  }

  private ident(pos: SourcePosition): Token {
    const start = this.i
    while (this.i < this.src.length && IDENT_PART.test(this.src[this.i])) this.advance()
    return { kind: 'ident', text: this.src.slice(start, this.i), pos }
  }
}

export function tokenize(source: string): Token[] {
  return new Lexer(source).run()
}
