import { Decoration, MatchDecorator, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from '@codemirror/view'
import type { ScriptLanguage } from '../../../../shared/api'

// A light, line-based highlighter (comments, strings, ${variables}, numbers, keywords) until the
// real grammars (@codemirror/lang-sql, @codemirror/lang-python, @codemirror/legacy-modes) are
// installed. Tokens never span lines, which is all MatchDecorator can do; a multi-line string
// or block comment is coloured on its first line only.

const words = (list: string) => list.trim().split(/\s+/).join('|')

const SQL_KEYWORDS = words(`
  select from where group by having order limit offset as and or not null is in like glob between
  case when then else end join left right inner outer cross on using union all distinct with values
  insert into update set delete create table view index if exists drop alter add column primary key
  default unique references begin commit rollback asc desc cast replace pragma explain`)
const PYTHON_KEYWORDS = words(`
  False None True and as assert async await break class continue def del elif else except finally
  for from global if import in is lambda nonlocal not or pass raise return try while with yield print`)
const SHELL_KEYWORDS = words(`
  if then else elif fi for while until do done case esac in function return local export readonly
  echo printf exit set unset shift cd test read source`)
const CYPHER_KEYWORDS = words(`
  match optional where return with unwind order by skip limit create merge delete detach set remove
  as and or xor not null distinct call yield union all case when then else end on exists`)

interface LanguageTokens {
  comment: string
  keywords: string
  caseInsensitive: boolean
}

const TOKENS: Record<ScriptLanguage, LanguageTokens> = {
  sql: { comment: '--.*', keywords: SQL_KEYWORDS, caseInsensitive: true },
  python: { comment: '#.*', keywords: PYTHON_KEYWORDS, caseInsensitive: false },
  shell: { comment: '(?<=^|\\s)#.*', keywords: SHELL_KEYWORDS, caseInsensitive: false },
  cypher: { comment: '//.*', keywords: CYPHER_KEYWORDS, caseInsensitive: true },
}

const STRING = `"(?:[^"\\\\]|\\\\.)*"?|'(?:[^'\\\\]|\\\\.)*'?`
const VARIABLE = '\\$\\{[^}\\n]*\\}?'
const VARIABLE_IN_STRING = new RegExp(VARIABLE, 'g')
const NUMBER = '\\b\\d+(?:\\.\\d+)?\\b'

const MARKS = {
  comment: Decoration.mark({ class: 'sc-tok-comment' }),
  string: Decoration.mark({ class: 'sc-tok-string' }),
  variable: Decoration.mark({ class: 'sc-tok-variable' }),
  number: Decoration.mark({ class: 'sc-tok-number' }),
  keyword: Decoration.mark({ class: 'sc-tok-keyword' }),
}
type TokenKind = keyof typeof MARKS

function decoratorFor(language: ScriptLanguage): MatchDecorator {
  const t = TOKENS[language]
  const source = `(?<comment>${t.comment})|(?<variable>${VARIABLE})|(?<string>${STRING})|(?<number>${NUMBER})|(?<keyword>\\b(?:${t.keywords})\\b)`
  return new MatchDecorator({
    regexp: new RegExp(source, t.caseInsensitive ? 'gi' : 'g'),
    decorate: (add, from, to, match) => {
      const kind = (Object.keys(MARKS) as TokenKind[]).find((k) => match.groups?.[k] !== undefined)
      if (!kind) return
      add(from, to, MARKS[kind])
      // '${run_date}' is the usual way to use a variable: show it inside strings too.
      if (kind === 'string') for (const v of match[0].matchAll(VARIABLE_IN_STRING)) add(from + v.index, from + v.index + v[0].length, MARKS.variable)
    },
  })
}

/** The highlighting extension for one language (swap it through a Compartment). */
export function scriptHighlight(language: ScriptLanguage) {
  const decorator = decoratorFor(language)
  return ViewPlugin.fromClass(
    class {
      decorations: DecorationSet
      constructor(view: EditorView) {
        this.decorations = decorator.createDeco(view)
      }
      update(update: ViewUpdate) {
        this.decorations = decorator.updateDeco(update, this.decorations)
      }
    },
    { decorations: (plugin) => plugin.decorations },
  )
}
