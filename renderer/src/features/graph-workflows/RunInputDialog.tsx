import { useEffect, useRef, useState, type FormEvent } from 'react'
import { initialTexts, runInputOf } from './run-input'
import { useGraphWorkflows } from './store'

/**
 * Before a run: the query parameters no wire gives, prefilled with their defaults, checked against
 * their types; Run passes them as the run's input (Explorer's `input`), Back (or Esc) runs nothing.
 */
export function RunInputDialog() {
  const fields = useGraphWorkflows((s) => s.askInput)
  const { run, closeInput } = useGraphWorkflows.getState()
  const ref = useRef<HTMLDialogElement>(null)
  const [texts, setTexts] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  useEffect(() => {
    const dialog = ref.current
    if (!fields || !dialog) return
    setTexts(initialTexts(fields))
    setErrors({})
    if (!dialog.open) dialog.showModal()
    return () => dialog.close()
  }, [fields])
  if (!fields) return null
  const submit = (e: FormEvent) => {
    e.preventDefault()
    const checked = runInputOf(fields, texts)
    setErrors(checked.errors)
    if (Object.keys(checked.errors).length === 0) void run(checked.input)
  }
  const set = (key: string, text: string) => {
    setTexts((t) => ({ ...t, [key]: text }))
    setErrors((e) => (e[key] ? { ...e, [key]: '' } : e))
  }
  return (
    <dialog
      ref={ref}
      className="confirm gw-input-dialog"
      aria-label="run input"
      onCancel={(e) => {
        e.preventDefault()
        closeInput()
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2>Run with these parameters</h2>
        <p className="muted">The queries’ parameters that no wire gives. Defaults are filled in; the others need a value.</p>
        {fields.map((f, i) => (
          <div key={f.key} className={`gw-field${errors[f.key] ? ' has-issue' : ''}`}>
            <label>
              <span className="gw-field-label">
                {f.componentName} <code className="muted">{f.component}</code> · <code>${f.name}</code> · {f.type}
                {f.default === undefined && <span className="gw-required"> required</span>}
              </span>
              {f.type === 'bool' ? (
                <select aria-label={`${f.component} ${f.name}`} value={texts[f.key] ?? ''} onChange={(e) => set(f.key, e.target.value)} autoFocus={i === 0}>
                  <option value="">{f.default === undefined ? '(choose)' : `default (${String(f.default)})`}</option>
                  <option value="true">true</option>
                  <option value="false">false</option>
                </select>
              ) : (
                <input
                  aria-label={`${f.component} ${f.name}`}
                  value={texts[f.key] ?? ''}
                  inputMode={f.type === 'int' || f.type === 'float' ? 'decimal' : undefined}
                  placeholder={f.default === undefined ? 'required' : String(f.default)}
                  autoFocus={i === 0}
                  onChange={(e) => set(f.key, e.target.value)}
                />
              )}
            </label>
            {errors[f.key] && (
              <ul className="gw-field-issues" role="alert">
                <li>{errors[f.key]}</li>
              </ul>
            )}
          </div>
        ))}
        <div className="actions">
          <button type="submit" className="primary">
            Run
          </button>
          <button type="button" onClick={closeInput}>
            Back
          </button>
        </div>
      </form>
    </dialog>
  )
}
