// Which PRAGMA a statement is, read from its text the way SQLite's tokenizer reads it. sql-guard.ts
// needs it before the statement is prepared: SQLite applies many pragmas (temp_store,
// temp_store_directory, wal_autocheckpoint, …) while it compiles them, even behind EXPLAIN, so by
// the time there is bytecode to inspect the setting has already changed.

/** A PRAGMA statement: its name (ASCII lower case, unquoted; any schema prefix dropped), and whether it gives a value (`= v` or `(v)`). */
export interface PragmaStatement {
  name: string
  sets: boolean
}

/**
 * The pragma `sql` (one statement) runs, or null when it is no PRAGMA. Reads past what SQLite skips
 * between tokens (white space, `--` and `/* *\/` comments), an EXPLAIN or EXPLAIN QUERY PLAN in front,
 * any case, a name quoted in any of SQLite's four ways ("x", 'x', `x`, [x]) and a schema prefix
 * (`main.x`, `"temp" . "x"`).
 */
export function pragmaOf(sql: string): PragmaStatement | null {
  const r = reader(sql)
  let word = r.word()
  if (word === 'explain') {
    word = r.word()
    if (word === 'query') {
      if (r.word() !== 'plan') return null
      word = r.word()
    }
  }
  if (word !== 'pragma') return null
  let name = r.name()
  if (name === null) return null
  if (r.peek() === '.') {
    r.skip(1)
    name = r.name()
    if (name === null) return null
  }
  const next = r.peek()
  return { name, sets: next === '=' || next === '(' }
}

/** SQLite folds only ASCII letters when it compares names (sqlite3StrICmp). */
const foldAscii = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase())

/** SQLite's identifier characters: ASCII letters, digits, `_`, `$`, and every character past ASCII. */
const isIdChar = (c: string) => /[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) >= 0x80

/** What SQLite's tokenizer takes for white space (tokenize.c CC_SPACE): not \v, nor anything past ASCII. */
const SPACE = ' \t\n\f\r'

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '`': '`', '[': ']' }

/** A cursor over statement text that steps over what lies between SQLite's tokens. */
function reader(sql: string) {
  let i = 0
  const skipBetween = () => {
    for (;;) {
      if (SPACE.includes(sql[i] ?? '-')) i++
      else if (sql.startsWith('--', i)) {
        const end = sql.indexOf('\n', i)
        i = end < 0 ? sql.length : end + 1
      } else if (sql.startsWith('/*', i)) {
        const end = sql.indexOf('*/', i + 2)
        i = end < 0 ? sql.length : end + 2 // an unclosed comment runs to the end, as in SQLite
      } else return
    }
  }
  /** A bare identifier, folded, or '' when the next token is not one. */
  const bare = (): string => {
    const start = i
    while (i < sql.length && isIdChar(sql[i])) i++
    return foldAscii(sql.slice(start, i))
  }
  return {
    /** The next token as a keyword (a bare word, folded), or '' when it is something else. */
    word(): string {
      skipBetween()
      return bare()
    },
    /** The next token as a name, bare or quoted (a doubled closing quote inside stands for one), folded; null when it is neither. */
    name(): string | null {
      skipBetween()
      const close = QUOTES[sql[i]]
      if (!close) return bare() || null
      let text = ''
      for (i++; i < sql.length; i++) {
        if (sql[i] !== close) text += sql[i]
        else if (close !== ']' && sql[i + 1] === close) text += sql[i++]
        else {
          i++
          return foldAscii(text)
        }
      }
      return null // an unclosed quote: SQLite refuses the statement
    },
    /** The next token's first character ('' at the end). */
    peek(): string {
      skipBetween()
      return sql[i] ?? ''
    },
    skip(n: number): void {
      i += n
    },
  }
}
