import { sql, SQLite } from '@codemirror/lang-sql'
import { python } from '@codemirror/lang-python'
import { StreamLanguage } from '@codemirror/language'
import { cypher } from '@codemirror/legacy-modes/mode/cypher'
import { shell } from '@codemirror/legacy-modes/mode/shell'
import type { Extension } from '@codemirror/state'
import { Decoration, MatchDecorator, ViewPlugin, type DecorationSet, type EditorView, type ViewUpdate } from '@codemirror/view'
import type { ScriptLanguage } from '../../../../shared/api'

// Each language's own grammar (SQLite's SQL, Python, and CodeMirror's legacy shell and Cypher
// modes), plus a mark on ${variables}, which the server substitutes before running.

const GRAMMARS: Record<ScriptLanguage, () => Extension> = {
  sql: () => sql({ dialect: SQLite }),
  python: () => python(),
  shell: () => StreamLanguage.define(shell),
  cypher: () => StreamLanguage.define(cypher),
}

const variableMark = Decoration.mark({ class: 'sc-tok-variable' })
const variables = new MatchDecorator({ regexp: /\$\{[^}\n]*\}/g, decoration: () => variableMark })

const variableHighlight = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet
    constructor(view: EditorView) {
      this.decorations = variables.createDeco(view)
    }
    update(update: ViewUpdate) {
      this.decorations = variables.updateDeco(update, this.decorations)
    }
  },
  { decorations: (plugin) => plugin.decorations },
)

/** The highlighting of one language. */
export function scriptHighlight(language: ScriptLanguage): Extension {
  return [GRAMMARS[language](), variableHighlight]
}
