import { useEffect, useState, type FormEvent } from 'react'
import { Dialog } from '../shell/Dialog'
import { initialTexts, runInputOf } from './run-input'
import { useGraphWorkflows } from './store'

/**
 * Before a run: the query parameters no wire gives, prefilled with their defaults, checked against
 * their types; Run passes them as the run's input (Explorer's `input`), Back (or Esc) runs nothing.
 */
export function RunInputDialog() {
  const fields = useGraphWorkflows((s) => s.askInput)
  const { run, closeInput } = useGraphWorkflows.getState()
  const [texts, setTexts] = useState<Record<string, string>>({})
  const [errors, setErrors] = useState<Record<string, string>>({})
  useEffect(() => {
    if (!fields) return
    setTexts(initialTexts(fields))
    setErrors({})
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
    <Dialog
      title="Run with these parameters"
      label="run input"
      className="gw-input-dialog"
      onClose={closeInput}
      onSubmit={submit}
      close="Back"
    >
      <p className="muted">The queries’ parameters that no wire gives. Defaults are filled in; the others need a value.</p>
      {fields.map((f, i) => (
        <div key={f.key} className={`gw-field${errors[f.key] ? ' has-issue' : ''}`}>
          <label>
            <span className="gw-field-label">
              {f.componentName} <code className="muted">{f.component}</code> · <code>${f.name}</code> · {f.type}
              {f.default === undefined && <span className="gw-required"> required</span>}
            </span>
            {f.type === 'bool' ? (
              <select aria-label={`${f.component} ${f.name}`} value={texts[f.key] ?? ''} onChange={(e) => set(f.key, e.target.value)} data-autofocus={i === 0 || undefined}>
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
                data-autofocus={i === 0 || undefined}
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
    </Dialog>
  )
}
