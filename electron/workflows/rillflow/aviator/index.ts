// A small, safe interpreter for the subset of the Aviator expression language that Rill Flow
// descriptors use in mapping `transform`s and progress `calculation`s. Scripts are untrusted
// descriptor content, so nothing here executes JS: source -> tokens -> AST -> tree walk, with a
// step budget against endless loops and reads limited to own enumerable data properties.
//
// Pipeline: lexer.ts (tokens) -> parser.ts (ast.ts) -> interpreter.ts,
// with runtime values in values.ts and the callable functions in builtins.ts.

import { Interpreter, type AviatorEnv, type AviatorOptions } from './interpreter'
import { AviatorError, tokenize } from './lexer'
import { parseProgram } from './parser'

export { AviatorError }
export type { AviatorEnv, AviatorOptions }
export interface CompiledAviator {
  run(env: AviatorEnv, options?: AviatorOptions): unknown
}

export function compileAviator(source: string): CompiledAviator {
  if (typeof source !== 'string') throw new AviatorError('Aviator script must be a string')
  const program = parseProgram(tokenize(source))
  return {
    run(env: AviatorEnv, options?: AviatorOptions): unknown {
      try {
        return new Interpreter(env ?? {}, options).exec(program)
      } catch (err) {
        // Host data can still trip the JS runtime (stack depth on huge nesting, writes to frozen
        // objects); callers should see that as a script failure like any other.
        if (err instanceof RangeError || err instanceof TypeError) throw new AviatorError(`Script failed: ${err.message}`)
        throw err
      }
    }
  }
}

const CACHE_LIMIT = 500
const cache = new Map<string, CompiledAviator>()

export function evaluateAviator(source: string, env: AviatorEnv, options?: AviatorOptions): unknown {
  let compiled = cache.get(source)
  if (compiled) cache.delete(source) // re-inserted below to mark as most recently used
  else compiled = compileAviator(source)
  cache.set(source, compiled)
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next()
    if (!oldest.done) cache.delete(oldest.value)
  }
  return compiled.run(env, options)
}
