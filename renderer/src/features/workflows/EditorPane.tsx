import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { DescriptorProblem } from '../../../../shared/workflows'
import { useWorkflows } from '../../stores/workflows'
import { EditorToolbar, SavedNotice } from './EditorToolbar'
import { YamlEditor } from './YamlEditor'
import { SafeText } from '../shell/SafeText'
import { warningEntries } from './warning-list'

/** Pause after the last keystroke before the draft is validated. */
const VALIDATE_DELAY_MS = 300

/**
 * The check under the editor: checking, valid (with the task count), or the problem with its line and
 * field. A valid draft's warnings (a sub-flow not stored yet, a mapping that reads nothing) follow,
 * one entry per line (warningEntries), folded so that the editor keeps its height (at 900×600 six
 * warnings, a box each, left it 0 lines): the first entry, cut to two lines, and a button on the valid
 * line that opens them all in a list of bounded height with its own scroll.
 */
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
    const valid = `✓ Valid: ${validation.workspace}:${validation.dagName} · ${count} top-level ${count === 1 ? 'task' : 'tasks'}`
    return validation.warnings?.length ? (
      <WarningList valid={valid} warnings={validation.warnings} />
    ) : (
      <p className="wf-validation ok" data-testid="validation-message" data-state="ok" role="status">
        {valid}
      </p>
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

/**
 * The valid line (`valid`, its text) with a valid draft's `warnings` under it (ValidationBar). Folded:
 * the first line's entry, at most two lines of text (its whole text in its title); the valid line's
 * button ("N more warnings", or "Show the whole warning" when the one entry is cut) opens the list.
 */
function WarningList({ valid, warnings }: { valid: string; warnings: DescriptorProblem[] }) {
  const [open, setOpen] = useState(false)
  const [cut, setCut] = useState(false)
  const first = useRef<HTMLParagraphElement>(null)
  const entries = useMemo(() => warningEntries(warnings), [warnings])
  const shown = open ? entries : entries.slice(0, 1)
  const more = warnings.length - entries[0].messages.length
  // whether the folded entry's text is cut: then the button opens it too
  useLayoutEffect(() => {
    const el = first.current
    if (!open && el) setCut(el.scrollHeight > el.clientHeight + 1)
  }, [open, entries])
  const label = open ? 'Show fewer warnings' : more > 0 ? `${more} more warning${more === 1 ? '' : 's'}` : cut ? 'Show the whole warning' : null
  return (
    <>
      <div className="wf-validation ok wf-validation-row" data-testid="validation-message" data-state="ok" role="status">
        <span className="wf-validation-text">{valid}</span>
        {label && (
          <button type="button" className="link wf-warnings-toggle" aria-expanded={open} aria-controls="wf-warnings" onClick={() => setOpen(!open)}>
            {label}
          </button>
        )}
      </div>
      {/* valid, and it saves; but a run fails until what it names is stored (a sub-flow's workflow) */}
      <div className={open ? 'wf-warnings open' : 'wf-warnings'} id="wf-warnings" data-testid="validation-warnings">
        {shown.map((w, i) => (
          <p
            key={w.line ?? `none-${i}`}
            ref={i === 0 ? first : undefined}
            className="wf-validation warning"
            data-testid="validation-warning"
            data-line={w.line ?? ''}
            role="status"
            title={open ? undefined : w.messages.join('\n')}
          >
            {w.line ? <strong>Line {w.line}: </strong> : null}
            {w.messages.map((m, k) => (
              <span key={k}>
                {k > 0 && <br />}
                <SafeText text={m} />
              </span>
            ))}
          </p>
        ))}
      </div>
    </>
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
