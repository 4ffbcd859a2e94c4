// Recursive-descent parser for the Aviator subset: tokens from lexer.ts in, the statement
// list of ast.ts out. Nesting depth is capped and function names/arities are checked here,
// so a script that parses can only fail at run time on its data.

import type { Expr, Stmt } from './ast'
import { BUILTINS } from './builtins'
import { AviatorError, type SourcePosition as Pos, type Token } from './lexer'
import { Dbl, MAX_NESTING, MAX_TREE_DEPTH } from './values'

const KEYWORDS = new Set(['let', 'if', 'elsif', 'else', 'for', 'in', 'while', 'return', 'break', 'continue', 'fn', 'lambda', 'end'])
const LITERALS = new Map<string, unknown>([['nil', null], ['true', true], ['false', false]])
const BLOCK_STATEMENTS = new Set(['if', 'for', 'while', 'block'])
const PRECEDENCE = new Map([['||', 1], ['&&', 2], ['==', 3], ['!=', 3], ['<', 4], ['<=', 4], ['>', 4], ['>=', 4], ['+', 5], ['-', 5], ['*', 6], ['/', 6], ['%', 6]])

class Parser {
  private i = 0
  private depth = 0
  /** Levels of the tree above the node being parsed: every nested() level and every link of a chain on the way down. */
  private levels = 0
  private loops = 0

  constructor(private readonly toks: Token[]) {}

  program(): Stmt[] {
    return this.statements(true)
  }

  private peek(): Token {
    return this.toks[Math.min(this.i, this.toks.length - 1)]
  }
  private is(text: string): boolean {
    const t = this.peek()
    return (t.kind === 'op' || t.kind === 'ident') && t.text === text
  }
  private eat(text: string): boolean {
    if (!this.is(text)) return false
    this.i++
    return true
  }
  private expect(text: string): void {
    if (!this.eat(text)) throw this.unexpected()
  }
  private unexpected(t: Token = this.peek()): AviatorError {
    if (t.kind === 'eof') return new AviatorError('Unexpected end of input', t.pos)
    return new AviatorError(`Unexpected ${t.kind === 'str' ? 'string' : 'token'} '${t.text}'`, t.pos)
  }
  private name(): string {
    const t = this.peek()
    if (t.kind !== 'ident' || KEYWORDS.has(t.text)) throw this.unexpected()
    this.i++
    return t.text
  }
  /** Guards recursion so a hostile `((((...` cannot overflow the JS stack. */
  private nested<T>(fn: () => T): T {
    if (++this.depth > MAX_NESTING) throw new AviatorError('Script is nested too deeply', this.peek().pos)
    this.deeper(1)
    try {
      return fn()
    } finally {
      this.depth--
      this.levels--
    }
  }
  /**
   * Adds `n` levels to the tree's depth (a link of a left-deep chain, which the parser builds in a
   * loop but the interpreter walks recursively): past MAX_TREE_DEPTH the script is refused, as
   * brackets past MAX_NESTING are, instead of overflowing the stack when it runs. Counts every link
   * on the way down (errs on the safe side, like Cypher's operator count).
   */
  private deeper(n: number): void {
    if ((this.levels += n) > MAX_TREE_DEPTH) throw new AviatorError(`Script is nested too deeply: more than ${MAX_TREE_DEPTH} levels of operators, brackets and member or index accesses`, this.peek().pos)
  }

  private statements(topLevel: boolean): Stmt[] {
    const out: Stmt[] = []
    const atEnd = (): boolean => (topLevel ? this.peek().kind === 'eof' : this.is('}'))
    while (!atEnd()) {
      if (this.eat(';')) continue
      if (this.peek().kind === 'eof') throw this.unexpected()
      const s = this.statement()
      out.push(s)
      // Statements are separated by ';' except after a block; anything else is a syntax error.
      if (!BLOCK_STATEMENTS.has(s.t) && !this.eat(';') && !atEnd()) throw this.unexpected()
    }
    return out
  }

  private block(): Stmt[] {
    this.expect('{')
    const body = this.nested(() => this.statements(false))
    this.expect('}')
    return body
  }

  private loopBody(): Stmt[] {
    this.loops++
    try {
      return this.block()
    } finally {
      this.loops--
    }
  }

  private statement(): Stmt {
    const t = this.peek()
    const word = t.kind === 'ident' ? t.text : ''
    const pos = t.pos
    if (word === 'let') {
      this.i++
      const name = this.name()
      this.expect('=')
      return { t: 'let', name, e: this.expr(), pos }
    }
    if (word === 'if') return (this.i++, this.ifRest(pos))
    if (word === 'for') {
      this.i++
      const first = this.name()
      const second = this.eat(',') ? this.name() : undefined
      this.expect('in')
      const coll = this.expr()
      return second ? { t: 'for', k: first, v: second, coll, body: this.loopBody(), pos } : { t: 'for', v: first, coll, body: this.loopBody(), pos }
    }
    if (word === 'while') {
      this.i++
      const c = this.expr()
      return { t: 'while', c, body: this.loopBody(), pos }
    }
    if (word === 'return') {
      this.i++
      const bare = this.is(';') || this.is('}') || this.peek().kind === 'eof'
      return bare ? { t: 'return', pos } : { t: 'return', e: this.expr(), pos }
    }
    if (word === 'break' || word === 'continue') {
      if (this.loops === 0) throw new AviatorError(`'${word}' outside of a loop`, pos)
      this.i++
      return { t: word, pos }
    }
    if (this.is('{')) return { t: 'block', body: this.block(), pos }
    return { t: 'expr', e: this.expr(), pos }
  }

  private ifRest(pos: Pos): Stmt {
    const c = this.expr()
    const then = this.block()
    if (this.is('elsif') || (this.is('else') && this.toks[this.i + 1]?.kind === 'ident' && this.toks[this.i + 1]?.text === 'if')) {
      this.i += this.is('elsif') ? 1 : 2
      const elsePos = this.peek().pos
      return { t: 'if', c, then, else: [this.nested(() => this.ifRest(elsePos))], pos }
    }
    return this.eat('else') ? { t: 'if', c, then, else: this.block(), pos } : { t: 'if', c, then, pos }
  }

  private expr(): Expr {
    return this.nested(() => {
      const left = this.ternary()
      const t = this.peek()
      if (!this.is('=')) return left
      if (left.t !== 'var' && left.t !== 'member' && left.t !== 'index') throw this.unexpected()
      this.i++
      return { t: 'assign', target: left, value: this.expr(), pos: t.pos }
    })
  }

  private ternary(): Expr {
    const c = this.binary(1)
    const t = this.peek()
    if (!this.eat('?')) return c
    const a = this.expr()
    this.expect(':')
    return { t: 'cond', c, a, b: this.nested(() => this.ternary()), pos: t.pos }
  }

  /** Precedence climbing over the left-associative binary operators. */
  private binary(minPrec: number): Expr {
    let left = this.unary()
    let links = 0
    for (;;) {
      const t = this.peek()
      const prec = t.kind === 'op' ? PRECEDENCE.get(t.text) : undefined
      if (prec === undefined || prec < minPrec) {
        this.levels -= links
        return left
      }
      this.i++
      this.deeper(1)
      links++
      left = { t: 'bin', op: t.text, l: left, r: this.binary(prec + 1), pos: t.pos }
    }
  }

  private unary(): Expr {
    const t = this.peek()
    if (t.kind === 'op' && (t.text === '-' || t.text === '!')) {
      this.i++
      return { t: 'unary', op: t.text, e: this.nested(() => this.unary()), pos: t.pos }
    }
    const base = this.postfix()
    const p = this.peek()
    if (!this.eat('**')) return base
    return { t: 'bin', op: '**', l: base, r: this.nested(() => this.unary()), pos: p.pos }
  }

  private postfix(): Expr {
    let e = this.primary()
    let links = 0
    for (;;) {
      const t = this.peek()
      if (this.is('.') || this.is('[') || this.is('(')) {
        this.deeper(1)
        links++
      }
      if (this.eat('.')) {
        const key = this.peek()
        if (key.kind !== 'ident') throw this.unexpected()
        this.i++
        e = { t: 'member', obj: e, key: key.text, pos: t.pos }
      } else if (this.eat('[')) {
        e = { t: 'index', obj: e, index: this.expr(), pos: t.pos }
        this.expect(']')
      } else if (this.is('(')) {
        e = this.call(e, t)
      } else {
        this.levels -= links
        return e
      }
    }
  }

  /** Only built-in functions exist, so a callee must be a (dotted) name known at compile time. */
  private call(callee: Expr, paren: Token): Expr {
    const name = dottedName(callee)
    if (name === undefined) throw this.unexpected(paren)
    const fn = BUILTINS.get(name)
    if (!fn && name !== 'is_def') throw new AviatorError(`Unknown function '${name}'`, callee.pos)
    this.expect('(')
    const args: Expr[] = []
    if (!this.is(')')) do args.push(this.expr())
    while (this.eat(','))
    this.expect(')')
    const [min, max] = fn ? [fn.min, fn.max] : [1, 1]
    if (args.length < min || args.length > max) throw new AviatorError(`Wrong number of arguments (${args.length}) passed to ${name}`, callee.pos)
    if (name === 'is_def' && dottedName(args[0]) === undefined) throw new AviatorError('is_def expects a variable name', args[0].pos)
    return { t: 'call', name, args, pos: callee.pos }
  }

  private primary(): Expr {
    const t = this.peek()
    const pos = t.pos
    if (t.kind === 'num') return (this.i++, { t: 'lit', v: t.isDouble ? new Dbl(t.num ?? 0) : t.num, pos })
    if (t.kind === 'str') return (this.i++, { t: 'lit', v: t.text, pos })
    if (t.kind === 'ident') {
      if (LITERALS.has(t.text)) return (this.i++, { t: 'lit', v: LITERALS.get(t.text), pos })
      return { t: 'var', name: this.name(), pos }
    }
    if (this.eat('(')) {
      const e = this.expr()
      this.expect(')')
      return e
    }
    throw this.unexpected()
  }
}

function dottedName(e: Expr): string | undefined {
  if (e.t === 'var') return e.name
  if (e.t !== 'member') return undefined
  const base = dottedName(e.obj)
  return base === undefined ? undefined : `${base}.${e.key}`
}

export function parseProgram(tokens: Token[]): Stmt[] {
  return new Parser(tokens).program()
}
