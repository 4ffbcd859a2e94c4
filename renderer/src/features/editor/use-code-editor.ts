import { EditorState, type Extension } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { basicSetup } from 'codemirror'
import { useEffect, useRef } from 'react'
import { editorTheme, replaceDoc } from './code-editor'

export interface CodeEditorOptions {
  /** The text; a value set from outside (history, a draft, a reload) replaces the document when it differs. */
  value: string
  /** Each edit's whole text; the latest function given is called. */
  onChange: (text: string) => void
  /**
   * The editor's own extensions (language, completion, lint gutter, keys), read once at creation:
   * what they call must read the component's latest props through refs.
   */
  extensions: Extension
  /** The content's accessible name, e.g. "Cypher query". */
  label: string
  /** The content's data-testid. */
  testId: string
}

/**
 * A CodeMirror 6 editor with the app's setup (basicSetup, editorTheme) and `extensions`, created once
 * in the element `host` is attached to and destroyed with the component. `view` is the editor (null
 * before mount), for effects that select, scroll or mark.
 */
export function useCodeEditor({ value, onChange, extensions, label, testId }: CodeEditorOptions) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const onChangeRef = useRef(onChange)
  onChangeRef.current = onChange

  useEffect(() => {
    const editor = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          extensions,
          editorTheme,
          EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': testId }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChangeRef.current(u.state.doc.toString())
          }),
        ],
      }),
    })
    view.current = editor
    return () => {
      editor.destroy()
      view.current = null
    }
    // Created once; later values arrive through the effect below.
  }, [])

  useEffect(() => {
    replaceDoc(view.current, value)
  }, [value])

  return { host, view }
}
