import { useEffect, useMemo } from 'react'
import { useWorkflows } from '../../stores/workflows'
import { EditorToolbar, SavedNotice } from './EditorToolbar'
import { YamlEditor } from './YamlEditor'
import { SafeText } from '../shell/SafeText'

/** Pause after the last keystroke before the draft is validated. */
const VALIDATE_DELAY_MS = 300

/** One line under the editor: checking, valid (with the task count), or the problem with its line and field. */
function ValidationBar() {
  const validation = useWorkflows((s) => s.validation)
  const current = useWorkflows((s) => s.validatedText === s.draft)
  if (!validation || !current) {
    return (
      <p className="wf-validation checking" data-testid="validation-message" data-state="checking" role="status">
        Checking…
      </p>
    )
  }
  if (validation.ok) {
    const count = validation.nodes?.length ?? 0
    return (
      <>
        <p className="wf-validation ok" data-testid="validation-message" data-state="ok" role="status">
          ✓ Valid: {validation.workspace}:{validation.dagName} · {count} top-level {count === 1 ? 'task' : 'tasks'}
        </p>
        {/* valid, and it saves; but a run fails until what it names is stored (a sub-flow's workflow) */}
        {validation.warnings?.map((w, i) => (
          <p key={i} className="wf-validation warning" data-testid="validation-warning" data-line={w.line ?? ''} role="status">
            {w.line ? <strong>Line {w.line}: </strong> : null}
            <SafeText text={w.message} />
          </p>
        ))}
      </>
    )
  }
  const { message, line, field } = validation.problem ?? { message: 'invalid descriptor' }
  const where = [line ? `Line ${line}` : null, field ? `field ${field}` : null].filter(Boolean).join(', ')
  return (
    <p className="wf-validation problem" data-testid="validation-message" data-state="problem" data-line={line ?? ''} role="alert">
      {where && <strong>{where}: </strong>}
      {message}
    </p>
  )
}

/** The YAML editor with its toolbar and check line; `onShowList`: see EditorToolbar. */
export function EditorPane({ onShowList }: { onShowList?: () => void }) {
  const draft = useWorkflows((s) => s.draft)
  const setDraft = useWorkflows((s) => s.setDraft)
  const validate = useWorkflows((s) => s.validate)
  const validation = useWorkflows((s) => s.validation)
  const validatedText = useWorkflows((s) => s.validatedText)
  const error = useWorkflows((s) => s.error)
  const missing = useWorkflows((s) => s.missing)

  useEffect(() => {
    const timer = setTimeout(() => void validate(draft), VALIDATE_DELAY_MS)
    return () => clearTimeout(timer)
  }, [draft, validate])

  const checked = useMemo(
    () => (validation && validatedText !== null ? { text: validatedText, problem: validation.ok ? null : (validation.problem ?? null) } : null),
    [validation, validatedText],
  )

  return (
    <section className="wf-editor-pane" id="wf-editor-pane" aria-label="workflow editor">
      <EditorToolbar onShowList={onShowList} />
      {error && (
        <p className="error-text wf-error" role="alert">
          {error}
        </p>
      )}
      {missing && (
        <p className="error-text wf-error" role="alert" data-testid="workflow-missing">
          <SafeText text={missing} />
        </p>
      )}
      <YamlEditor value={draft} onChange={setDraft} checked={checked} />
      <ValidationBar />
      <SavedNotice />
    </section>
  )
}
