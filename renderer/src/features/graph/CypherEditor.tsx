import { autocompletion, closeCompletion } from '@codemirror/autocomplete'
import { StreamLanguage } from '@codemirror/language'
import { cypher } from '@codemirror/legacy-modes/mode/cypher'
import { Prec } from '@codemirror/state'
import { keymap } from '@codemirror/view'
import { useEffect, useRef } from 'react'
import { useCodeEditor } from '../editor/use-code-editor'
import { cypherCompletion, type CompletionSchema } from './cypher-complete'

interface CypherEditorProps {
  value: string
  onChange: (script: string) => void
  /** Ctrl/Cmd+Enter. */
  onRun: () => void
  /** The chosen graph's labels and properties, and the procedures, for completion. */
  schema: CompletionSchema
  /** Put the cursor here (an error's position); `nonce` makes the same place count again. */
  jump: { line: number; column: number; nonce: number } | null
}

/**
 * CodeMirror 6 with the Scripts page's setup (basicSetup, the app's theme, CodeMirror's Cypher
 * mode) and completion of the graph's labels, properties and procedures as you type.
 */
export function CypherEditor({ value, onChange, onRun, schema, jump }: CypherEditorProps) {
  const latest = useRef({ onRun, schema })
  latest.current = { onRun, schema }
  const { host, view } = useCodeEditor({
    value,
    onChange,
    label: 'Cypher query',
    testId: 'cypher-editor',
    extensions: [
      // Highest precedence: basicSetup's Mod-Enter inserts a blank line. Running closes the
      // completion popup, which would otherwise hang over the result.
      Prec.highest(keymap.of([{ key: 'Mod-Enter', run: (v) => (closeCompletion(v), latest.current.onRun(), true) }])),
      autocompletion({ override: [cypherCompletion(() => latest.current.schema)] }),
      StreamLanguage.define(cypher),
    ],
  })

  useEffect(() => {
    const editor = view.current
    if (!editor || !jump) return
    const doc = editor.state.doc
    const line = doc.line(Math.min(Math.max(jump.line, 1), doc.lines))
    editor.dispatch({ selection: { anchor: Math.min(line.from + Math.max(jump.column - 1, 0), line.to) }, scrollIntoView: true })
    editor.focus()
  }, [jump, view])

  return <div className="gx-editor" ref={host} />
}
