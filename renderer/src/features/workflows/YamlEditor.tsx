import { yaml } from '@codemirror/lang-yaml'
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint'
import type { Text } from '@codemirror/state'
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
    const editor = view.current
    if (!editor || !checked || editor.state.doc.toString() !== checked.text) return
    editor.dispatch(setDiagnostics(editor.state, diagnosticsOf(editor.state.doc, checked.problem)))
  }, [checked, view])

  return <div className="wf-editor" ref={host} />
}
