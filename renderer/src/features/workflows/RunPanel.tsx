import { useState } from 'react'
import { useWorkflows } from '../../stores/workflows'
import { ExecutionSummary, RecentRuns } from './RunHistory'
import { SafeText, visibleText } from '../shell/SafeText'
import { buildContext, fieldKind, parseContextJson, type FieldValues, type SchemaField } from './context-form'

function SchemaFieldInput({ field, value, error, onChange }: { field: SchemaField; value: string | boolean | undefined; error?: string; onChange: (v: string | boolean) => void }) {
  const kind = fieldKind(field.type)
  const label = (
    <span className="wf-field-label">
      <SafeText text={field.name} />
      {field.required && <span className="wf-required" aria-label="required"> *</span>}
      <span className="wf-field-type">{field.type ?? 'String'}</span>
    </span>
  )
  if (kind === 'boolean') {
    return (
      <label className="wf-check">
        <input type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} aria-label={field.name} />
        {label}
      </label>
    )
  }
  return (
    <label>
      {label}
      {kind === 'json' ? (
        <textarea rows={2} aria-label={field.name} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} spellCheck={false} placeholder='e.g. [1, 2] or {"a": 1}' />
      ) : (
        <input aria-label={field.name} inputMode={kind === 'number' ? 'decimal' : undefined} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />
      )}
      {field.desc && (
        <span className="wf-field-desc">
          <SafeText text={field.desc} multiline />
        </span>
      )}
      {error && (
        <span className="error-text">
          <SafeText text={field.name} /> {error}
        </span>
      )}
    </label>
  )
}

/** The context form: fields from the descriptor's inputSchema, or a JSON object. */
function ContextForm({ fields }: { fields: SchemaField[] | undefined }) {
  const submit = useWorkflows((s) => s.submit)
  const busy = useWorkflows((s) => s.busy)
  const submitError = useWorkflows((s) => s.submitError)
  const [values, setValues] = useState<FieldValues>({})
  const [json, setJson] = useState('{}')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const run = () => {
    const parsed = fields?.length ? buildContext(fields, values) : parseContextJson(json)
    setErrors(parsed.ok ? {} : parsed.errors)
    if (parsed.ok) void submit(parsed.context)
  }
  return (
    <form
      className="wf-run-form"
      aria-label="run workflow"
      onSubmit={(e) => {
        e.preventDefault()
        run()
      }}
    >
      {fields?.length ? (
        fields.map((f) => <SchemaFieldInput key={f.name} field={f} value={values[f.name]} error={errors[f.name]} onChange={(v) => setValues({ ...values, [f.name]: v })} />)
      ) : (
        <label>
          Context (JSON object)
          <textarea rows={6} value={json} onChange={(e) => setJson(e.target.value)} spellCheck={false} aria-invalid={errors.context ? true : undefined} />
          {errors.context && (
            <span className="error-text" role="alert" data-testid="context-error">
              {errors.context}
            </span>
          )}
        </label>
      )}
      <button type="submit" className="primary" disabled={busy !== null}>
        {busy === 'submitting' ? 'Submitting…' : 'Submit'}
      </button>
      {submitError && (
        <p className="error-text wf-submit-error" role="alert" data-testid="wf-submit-error">
          <SafeText text={submitError} />
        </p>
      )}
    </form>
  )
}

export function RunPanel() {
  const detail = useWorkflows((s) => s.detail)
  const dirty = useWorkflows((s) => s.detail !== null && s.draft !== s.detail.source)
  return (
    <aside className="wf-side" aria-label="run panel">
      <h2>Run</h2>
      {!detail ? (
        <p className="muted">Save the workflow to run it.</p>
      ) : (
        <>
          <p className="muted wf-run-target">
            Runs{' '}
            <code title={visibleText(detail.descriptorId)}>
              <SafeText text={`${detail.workspace}:${detail.name}`} />
            </code> version <code>{detail.version.slice(0, 8)}</code>
            {dirty && <span className="wf-dirty-note">. Your edits are not saved yet: Submit runs the saved text.</span>}
          </p>
          <ContextForm key={detail.descriptorId} fields={detail.inputSchema} />
        </>
      )}
      <ExecutionSummary />
      <RecentRuns />
      <p className="muted wf-hint">Click a task in the graph to see its input, output, error and log.</p>
    </aside>
  )
}
