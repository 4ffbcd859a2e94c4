import { EditorState, Prec } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { basicSetup } from 'codemirror'
import { autocompletion, closeCompletion } from '@codemirror/autocomplete'
import { useEffect, useRef } from 'react'
import type { ScriptLanguage } from '../../../../shared/api'
import type { EditorJump } from '../../stores/scripts'
import { scriptHighlight } from './code-highlight'
import { LANGUAGE_LABELS } from './languages'
import { editorTheme, replaceDoc } from '../editor/code-editor'

interface ScriptEditorProps {
  language: ScriptLanguage
  value: string
  onChange: (code: string) => void
  /** The selected text ('' when the selection is empty). */
  onSelect: (text: string) => void
  /** Ctrl/Cmd+Enter. */
  onRun: () => void
  /** Put the cursor on this line and scroll to it (a failed statement's line); no selection, so Run still runs everything. */
  jump: EditorJump | null
}

/**
 * CodeMirror 6 (line numbers, bracket matching, undo history, search) with one editor state per
 * language: switching language keeps each script's text, cursor and undo history.
 */
const selectedText = (state: EditorState): string => state.selection.ranges.map((r) => state.sliceDoc(r.from, r.to)).join('\n')

export function ScriptEditor({ language, value, onChange, onSelect, onRun, jump }: ScriptEditorProps) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const states = useRef(new Map<ScriptLanguage, EditorState>())
  const shown = useRef(language)
  const callbacks = useRef({ onChange, onSelect, onRun })
  callbacks.current = { onChange, onSelect, onRun }

  const stateFor = (lang: ScriptLanguage, doc: string): EditorState =>
    EditorState.create({
      doc,
      extensions: [
        // Before basicSetup, whose Mod-Enter inserts a blank line.
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run: (v) => (closeCompletion(v), callbacks.current.onRun(), true) }])),
        basicSetup,
        // Completions on Ctrl-Space only: Enter must always start a new line in a script.
        autocompletion({ activateOnTyping: false }),
        scriptHighlight(lang),
        editorTheme,
        EditorView.contentAttributes.of({ 'aria-label': `${LANGUAGE_LABELS[lang]} script`, 'data-testid': 'script-editor', 'data-language': lang }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) callbacks.current.onChange(u.state.doc.toString())
          if (u.docChanged || u.selectionSet) callbacks.current.onSelect(selectedText(u.state))
        }),
      ],
    })

  useEffect(() => {
    const editor = new EditorView({ parent: host.current!, state: stateFor(shown.current, value) })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
    // The editor is created once; language and text changes arrive through the effects below.
  }, [])

  useEffect(() => {
    const editor = view.current
    if (!editor || shown.current === language) return
    states.current.set(shown.current, editor.state)
    shown.current = language
    editor.setState(states.current.get(language) ?? stateFor(language, value))
    callbacks.current.onSelect(selectedText(editor.state))
  }, [language, value])

  useEffect(() => {
    replaceDoc(view.current, value) // a script put back from the history
  }, [value])

  useEffect(() => {
    const editor = view.current
    if (!editor || !jump) return
    const line = editor.state.doc.line(Math.min(Math.max(jump.line, 1), editor.state.doc.lines))
    editor.dispatch({ selection: { anchor: line.from }, scrollIntoView: true })
    editor.focus()
  }, [jump])

  return <div className="sc-editor" ref={host} />
}
