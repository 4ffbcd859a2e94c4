import { yaml } from '@codemirror/lang-yaml'
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import type { Text } from '@codemirror/state'
import { runScopeHandlers, type EditorView } from '@codemirror/view'
import { useEffect } from 'react'
import type { DescriptorProblem } from '../../../../shared/workflows'
import { useCodeEditor } from '../editor/use-code-editor'

/** The problem as a diagnostic over its line's text (from the first non-blank character). */
function diagnosticsOf(doc: Text, problem: DescriptorProblem | null): Diagnostic[] {
  if (!problem) return []
  const lineNo = Math.min(Math.max(problem.line ?? 1, 1), doc.lines)
  const line = doc.line(lineNo)
  const indent = line.text.length - line.text.trimStart().length
  const field = problem.field ? ` (${problem.field})` : ''
  return [{ from: line.from + indent, to: line.to, severity: 'error', source: `descriptor${field}`, message: problem.message }]
}

/** The shown workflow editor, for undo from the graph (one Workflows page at a time). */
let shownEditor: EditorView | null = null

/**
 * Runs the YAML editor's own binding for a key pressed elsewhere (Ctrl+Z / Ctrl+Shift+Z on the graph):
 * graph edits are edits of the editor's text, so its history undoes and redoes them. True when the
 * editor handled the key.
 */
export function runEditorKey(event: KeyboardEvent): boolean {
  return shownEditor ? runScopeHandlers(shownEditor, event, 'editor') : false
}

interface YamlEditorProps {
  value: string
  onChange: (text: string) => void
  /** The last validation: its problem is marked only while the editor still holds the text it was computed for. */
  checked: { text: string; problem: DescriptorProblem | null } | null
}

/** CodeMirror 6 with YAML highlighting; the server's validation problem is shown as a lint diagnostic. */
export function YamlEditor({ value, onChange, checked }: YamlEditorProps) {
  const { host, view } = useCodeEditor({ value, onChange, label: 'workflow YAML', testId: 'yaml-editor', extensions: [yaml(), lintGutter()] })

  useEffect(() => {
    shownEditor = view.current
    return () => {
      shownEditor = null
    }
  }, [view])

  useEffect(() => {
    const editor = view.current
    if (!editor || !checked || editor.state.doc.toString() !== checked.text) return
    editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor.state.doc, checked.problem)))
  }, [checked, view])

  return <div className="wf-editor" ref={host} />
}
