import { autocompletion } from '@codemirror/autocomplete'
import { StreamLanguage } from '@codemirror/language'
import { cypher } from '@codemirror/legacy-modes/mode/cypher'
import { EditorState, Prec } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { basicSetup } from 'codemirror'
import { useEffect, useRef } from 'react'
import { editorTheme, replaceDoc } from '../editor/code-editor'
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
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const latest = useRef({ onChange, onRun, schema })
  latest.current = { onChange, onRun, schema }

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          // Before basicSetup, whose Mod-Enter inserts a blank line.
          Prec.highest(keymap.of([{ key: 'Mod-Enter', run: () => (latest.current.onRun(), true) }])),
          basicSetup,
          autocompletion({ override: [cypherCompletion(() => latest.current.schema)] }),
          StreamLanguage.define(cypher),
          editorTheme,
          EditorView.contentAttributes.of({ 'aria-label': 'Cypher query', 'data-testid': 'cypher-editor' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) latest.current.onChange(u.state.doc.toString())
          }),
        ],
      }),
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
    // Created once; text set from outside (history, a label click) arrives through the effect below.
  }, [])

  useEffect(() => {
    replaceDoc(view.current, value)
  }, [value])

  useEffect(() => {
    const editor = view.current
    if (!editor || !jump) return
    const doc = editor.state.doc
    const line = doc.line(Math.min(Math.max(jump.line, 1), doc.lines))
    editor.dispatch({ selection: { anchor: Math.min(line.from + Math.max(jump.column - 1, 0), line.to) }, scrollIntoView: true })
    editor.focus()
  }, [jump])

  return <div className="gx-editor" ref={host} />
}
