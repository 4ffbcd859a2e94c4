// A small, safe interpreter for the subset of the Aviator expression language that Rill Flow
// descriptors use in mapping `transform`s and progress `calculation`s. Scripts are untrusted
// descriptor content, so nothing here executes JS: source -> tokens -> AST -> tree walk, with a
// step budget against endless loops and reads limited to own enumerable data properties.
//
// Pipeline: lexer.ts (tokens) -> parser.ts (ast.ts) -> interpreter.ts,
// with runtime values in values.ts and the callable functions in builtins.ts.

import { changesValues, envCopiesMade, Interpreter, type AviatorEnv, type AviatorOptions } from './interpreter'
import { AviatorError, tokenize } from './lexer'
import { parseProgram } from './parser'

export { AviatorError, envCopiesMade }
export type { AviatorEnv, AviatorOptions }
export interface CompiledAviator {
  run(env: AviatorEnv, options?: AviatorOptions): unknown
}

export function compileAviator(source: string): CompiledAviator {
  if (typeof source !== 'string') throw new AviatorError('Aviator script must be a string')
  const program = parseProgram(tokenize(source))
  // a script that changes no list or map reads its env as it is: no copies (copyEnv) for it
  const copies = changesValues(program)
  return {
    run(env: AviatorEnv, options?: AviatorOptions): unknown {
      try {
        return new Interpreter(env ?? {}, copies || !options?.copyEnv ? options : { ...options, copyEnv: undefined }).exec(program)
      } catch (err) {
        // Host data can still trip the JS runtime (stack depth on huge nesting, writes to frozen
        // objects); callers should see that as a script failure like any other.
        if (err instanceof RangeError || err instanceof TypeError) throw new AviatorError(`Script failed: ${err.message}`)
        throw err
      }
    }
  }
}

/** Bounds of a compile cache: how many scripts, and how many characters of their source together. */
export interface CompileCacheLimits {
  scripts: number
  /** Characters of source of the cached scripts together; a larger script is compiled each time. */
  sourceChars: number
}

/**
 * What the shared compile cache (mapping transforms, progress calculations) keeps, least recently
 * used dropped first. A script's AST takes some 90-160 bytes of heap per character of its source (a
 * 58 kB `1+1+…` 5.4 MB), so a cache bounded by count alone kept 2.7-3 GB from 500 large request
 * bodies; bounded by source characters too, it keeps at most some 40 MB. Ordinary scripts (tens to
 * hundreds of characters) fill the count first.
 */
export const COMPILE_CACHE_LIMITS: Readonly<CompileCacheLimits> = {
  scripts: 500,
  sourceChars: 256 << 10,
}

/** Compiled scripts by source, least recently used dropped first past its limits (createCompileCache). */
export interface CompileCache {
  /** Compiles `source` (or takes it from the cache) and runs it over `env`; throws AviatorError as compileAviator and run do. */
  evaluate(source: string, env: AviatorEnv, options?: AviatorOptions): unknown
  /** What it holds now: scripts and their characters of source. */
  readonly size: { scripts: number; sourceChars: number }
  /** How many times it compiled a script (a miss): for tests and diagnostics. */
  readonly compiles: number
}

/**
 * A compile cache of its own, within `limits`. Callers whose scripts come from different people keep
 * separate ones, so one party's scripts cannot evict another's (gray rules: ../gray-rules.ts).
 */
export function createCompileCache(limits: CompileCacheLimits): CompileCache {
  const cache = new Map<string, CompiledAviator>()
  let cachedChars = 0
  let compiles = 0
  return {
    evaluate(source, env, options) {
      let compiled = cache.get(source)
      if (compiled) cache.delete(source) // re-inserted below to mark as most recently used
      else {
        compiled = compileAviator(source)
        compiles++
        cachedChars += source.length
      }
      cache.set(source, compiled)
      while (cache.size > limits.scripts || cachedChars > limits.sourceChars) {
        const oldest = cache.keys().next().value as string // the one just added is last, so this ends with it at worst
        cache.delete(oldest)
        cachedChars -= oldest.length
      }
      return compiled.run(env, options)
    },
    get size() {
      return { scripts: cache.size, sourceChars: cachedChars }
    },
    get compiles() {
      return compiles
    },
  }
}

/** The compile cache of mapping transforms and progress calculations (scripts of stored descriptors). */
export const sharedCompileCache = createCompileCache(COMPILE_CACHE_LIMITS)

/** How much the shared compile cache holds now: scripts and their characters of source (for tests and diagnostics). */
export const compileCacheSize = (): { scripts: number; sourceChars: number } => sharedCompileCache.size

/** Compiles `source` (or takes it from the shared cache) and runs it over `env`; throws AviatorError as compileAviator and run do. */
export const evaluateAviator = (source: string, env: AviatorEnv, options?: AviatorOptions): unknown => sharedCompileCache.evaluate(source, env, options)
