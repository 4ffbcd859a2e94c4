import { useScripts } from '../../stores/scripts'
import { BUILTIN_VARIABLES, newVariableRow, unsetReferences, type VariableRow } from './variables'

/** `${name}` values sent with the run; names the script uses but nobody sets can be added in one click. */
export function VariablesEditor() {
  const rows = useScripts((s) => s.variables)
  const setRows = useScripts((s) => s.setVariables)
  const code = useScripts((s) => s.drafts[s.language])
  const missing = unsetReferences(code, rows)
  const update = (id: number, patch: Partial<VariableRow>) => setRows(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)))
  return (
    <section className="sc-side-section" aria-label="variables">
      <h3>Variables</h3>
      {rows.length === 0 && <p className="muted sc-side-note">None. Write <code>{'${name}'}</code> in the script and give it a value here.</p>}
      <ul className="sc-vars">
        {rows.map((r, i) => (
          <li key={r.id} className="sc-var" data-testid={`variable-${i}`}>
            <input aria-label={`variable ${i + 1} name`} placeholder="name" value={r.name} onChange={(e) => update(r.id, { name: e.target.value })} spellCheck={false} />
            <span className="muted">=</span>
            <input aria-label={`variable ${i + 1} value`} placeholder="value" value={r.value} onChange={(e) => update(r.id, { value: e.target.value })} spellCheck={false} />
            <button type="button" className="icon" aria-label={`remove variable ${r.name || i + 1}`} onClick={() => setRows(rows.filter((x) => x.id !== r.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => setRows([...rows, newVariableRow()])}>
        + Add variable
      </button>
      {missing.length > 0 && (
        <p className="sc-side-note sc-missing" data-testid="unset-variables">
          Not set, so left as written:{' '}
          {missing.map((name) => (
            <button key={name} type="button" className="sc-chip" title={`Add a row for ${name}`} onClick={() => setRows([...rows, newVariableRow(name)])}>
              {'${'}
              {name}
              {'}'} +
            </button>
          ))}
        </p>
      )}
      <details className="sc-builtins">
        <summary className="muted">Built-in variables</summary>
        <p className="muted sc-side-note">
          {BUILTIN_VARIABLES.map((n) => `\${${n}}`).join(', ')}. <code>run_date</code> is yesterday (yyyyMMdd), the usual data date of a daily batch; <code>_std</code> forms are yyyy-MM-dd.
        </p>
      </details>
    </section>
  )
}
