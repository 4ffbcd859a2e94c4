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

/** A compiled `/source/flags` literal of a filter. */
export class FilterPattern {
  private constructor(
    readonly source: string,
    readonly flags: string,
    private readonly re: RE2JS,
  ) {}

  /**
   * Compiles `/source/flags`. Throws PatternSyntaxError naming the pattern when RE2 refuses it
   * (backreferences such as `\1`, lookahead `(?=`/`(?!`, lookbehind, bad syntax).
   */
  static compile(source: string, flags: string): FilterPattern {
    const bits = [...new Set(flags)].reduce((all, f) => all | (FLAGS[f] ?? 0), 0)
    try {
      return new FilterPattern(source, flags, RE2JS.compile(source, bits))
    } catch (e) {
      if (!(e instanceof RE2JSException)) throw e
      const why = e.message.replace(/^error parsing regexp: /, '')
      throw new PatternSyntaxError(
        `regular expression /${source}/ is not supported: ${why} (filters use RE2 syntax: no backreferences, lookahead or lookbehind)`,
      )
    }
  }

  /** Java `Pattern.matcher(text).matches()`: the whole text must match. Linear in the text's length. */
  matches(text: string): boolean {
    return this.re.matches(text)
  }
}
