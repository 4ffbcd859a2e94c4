// Syntax tree of the Aviator subset, produced by parser.ts and walked by
// interpreter.ts. Every node keeps its source position for error messages.

import type { SourcePosition as Pos } from './lexer'

export type Expr =
  | { t: 'lit'; v: unknown; pos: Pos }
  | { t: 'var'; name: string; pos: Pos }
  | { t: 'member'; obj: Expr; key: string; pos: Pos }
  | { t: 'index'; obj: Expr; index: Expr; pos: Pos }
  | { t: 'call'; name: string; args: Expr[]; pos: Pos }
  | { t: 'unary'; op: string; e: Expr; pos: Pos }
  | { t: 'bin'; op: string; l: Expr; r: Expr; pos: Pos }
  | { t: 'cond'; c: Expr; a: Expr; b: Expr; pos: Pos }
  | { t: 'assign'; target: Expr; value: Expr; pos: Pos }
export type Stmt =
  | { t: 'expr'; e: Expr; pos: Pos }
  | { t: 'let'; name: string; e: Expr; pos: Pos }
  | { t: 'if'; c: Expr; then: Stmt[]; else?: Stmt[]; pos: Pos }
  | { t: 'for'; k?: string; v: string; coll: Expr; body: Stmt[]; pos: Pos }
  | { t: 'while'; c: Expr; body: Stmt[]; pos: Pos }
  | { t: 'block'; body: Stmt[]; pos: Pos }
  | { t: 'return'; e?: Expr; pos: Pos }
  | { t: 'break' | 'continue'; pos: Pos }
