import { yaml } from '@codemirror/lang-yaml'
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import { EditorState, type Text } from '@codemirror/state'
import { EditorView } from '@codemirror/view'
import { basicSetup } from 'codemirror'
import { useEffect, useRef } from 'react'
import type { DescriptorProblem } from '../../../../shared/workflows'
import { editorTheme, replaceDoc } from '../editor/code-editor'

/** The problem as a diagnostic over its line's text (from the first non-blank character). */
function diagnosticsOf(doc: Text, problem: DescriptorProblem | null): Diagnostic[] {
  if (!problem) return []
  const lineNo = Math.min(Math.max(problem.line ?? 1, 1), doc.lines)
  const line = doc.line(lineNo)
  const indent = line.text.length - line.text.trimStart().length
  const field = problem.field ? ` (${problem.field})` : ''
  return [{ from: line.from + indent, to: line.to, severity: 'error', source: `descriptor${field}`, message: problem.message }]
}

interface YamlEditorProps {
  value: string
  onChange: (text: string) => void
  /** The last validation: its problem is marked only while the editor still holds the text it was computed for. */
  checked: { text: string; problem: DescriptorProblem | null } | null
}

/** CodeMirror 6 with YAML highlighting; the server's validation problem is shown as a lint diagnostic. */
export function YamlEditor({ value, onChange, checked }: YamlEditorProps) {
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
          yaml(),
          lintGutter(),
          editorTheme,
          EditorView.contentAttributes.of({ 'aria-label': 'workflow YAML', 'data-testid': 'yaml-editor' }),
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
    // The editor is created once; later values arrive through the effect below.
  }, [])

  useEffect(() => {
    replaceDoc(view.current, value)
  }, [value])

  useEffect(() => {
    const editor = view.current
    if (!editor || !checked || editor.state.doc.toString() !== checked.text) return
    editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor.state.doc, checked.problem)))
  }, [checked])

  return <div className="wf-editor" ref={host} />
}
