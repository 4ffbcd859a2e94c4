// Filter regexes (`@.name =~ /^a.*$/i`) from descriptor text run on RE2 (re2js), whose matching
// time is linear in the input: a backtracking engine lets `/^(a+)+$/` on 30 characters hold the
// whole server for seconds. RE2 has no backreferences or lookaround; those patterns are refused.

import { RE2JS, RE2JSException } from 're2js'
import { JsonPathError } from './errors'

/** A pattern RE2 cannot compile (unsupported syntax or a plain syntax error). */
export class PatternSyntaxError extends JsonPathError {
  constructor(message: string) {
    super(message)
    this.name = 'PatternSyntaxError'
  }
}

/** Jayway's PatternFlag letters that have an RE2 counterpart; the Java-only ones (d, u, U, x) are dropped. */
const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL }

/**
 * Instructions an RE2 program may have (RE2JS programSize). Real filter patterns have tens to a
 * couple of hundred (`[a-z]{1,50}`: 101); past some 3,000 re2js leaves its fast matchers and a
 * match took 300 ms whatever the text (`(a|aa|aaa){1,1000}z`: 10,002 instructions).
 */
export const MAX_PROGRAM_SIZE = 1000

/** A compiled `/source/flags` literal of a filter. */
export class FilterPattern {
  private constructor(
    readonly source: string,
    readonly flags: string,
    private readonly re: RE2JS,
    /** Instructions of the compiled RE2 program, at most MAX_PROGRAM_SIZE (what a match costs a character). */
    readonly programSize: number,
  ) {}

  /**
   * Compiles `/source/flags`. Throws PatternSyntaxError naming the pattern when RE2 refuses it
   * (backreferences such as `\1`, lookahead `(?=`/`(?!`, lookbehind, bad syntax), or when its
   * program has more than MAX_PROGRAM_SIZE instructions (large counted repetitions).
   */
  static compile(source: string, flags: string): FilterPattern {
    const bits = [...new Set(flags)].reduce((all, f) => all | (FLAGS[f] ?? 0), 0)
    let re: RE2JS
    try {
      re = RE2JS.compile(source, bits)
    } catch (e) {
      if (!(e instanceof RE2JSException)) throw e
      const why = e.message.replace(/^error parsing regexp: /, '')
      throw new PatternSyntaxError(
        `regular expression /${source}/ is not supported: ${why} (filters use RE2 syntax: no backreferences, lookahead or lookbehind)`,
      )
    }
    const size = re.programSize()
    if (size > MAX_PROGRAM_SIZE) {
      throw new PatternSyntaxError(
        `regular expression /${source}/ is too large: its RE2 program has ${size} instructions, more than ${MAX_PROGRAM_SIZE} (use smaller counted repetitions such as {1,50})`,
      )
    }
    return new FilterPattern(source, flags, re, size)
  }

  /** Java `Pattern.matcher(text).matches()`: the whole text must match. Linear in the text's length. */
  matches(text: string): boolean {
    return this.re.matches(text)
  }
}
