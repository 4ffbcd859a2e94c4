import { useEffect, useRef, useState } from 'react'
import { useScripts } from '../../stores/scripts'
import { DATE_VARIABLES } from '../../../../shared/script-variables'
import { emptyReferences, newVariableRow, unsetReferences, type VariableRow } from './variables'

/**
 * `${name}` values sent with the run; names the script uses but nobody sets can be added in one click
 * (the new row's value then has the focus), and names the script uses with an empty value are named.
 */
export function VariablesEditor() {
  const rows = useScripts((s) => s.variables)
  const setRows = useScripts((s) => s.setVariables)
  const language = useScripts((s) => s.language)
  const code = useScripts((s) => s.drafts[s.language])
  const missing = unsetReferences(code, language, rows)
  const empty = emptyReferences(code, language, rows)
  const list = useRef<HTMLUListElement>(null)
  const [focusRow, setFocusRow] = useState<number | null>(null)
  useEffect(() => {
    if (focusRow === null) return
    list.current?.querySelector<HTMLInputElement>(`[data-value-of="${focusRow}"]`)?.focus()
    setFocusRow(null)
  }, [focusRow, rows])
  const addRow = (name: string) => {
    const row = newVariableRow(name)
    setRows([...rows, row])
    if (name) setFocusRow(row.id) // a chip names it: what is left to type is its value
  }
  const update = (id: number, patch: Partial<VariableRow>) => setRows(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)))
  return (
    <section className="sc-side-section" aria-label="variables">
      <h3>Variables</h3>
      {/* not "None." above the names the script uses and nobody sets (the chips below) */}
      {rows.length === 0 && missing.length === 0 && <p className="muted sc-side-note">None. Write <code>{'${name}'}</code> in the script and give it a value here.</p>}
      <ul className="sc-vars" ref={list}>
        {rows.map((r, i) => (
          <li key={r.id} className="sc-var" data-testid={`variable-${i}`}>
            <input aria-label={`variable ${i + 1} name`} placeholder="name" value={r.name} onChange={(e) => update(r.id, { name: e.target.value })} spellCheck={false} />
            <span className="muted">=</span>
            <input aria-label={`variable ${i + 1} value`} data-value-of={r.id} placeholder="value" value={r.value} onChange={(e) => update(r.id, { value: e.target.value })} spellCheck={false} />
            <button type="button" className="icon" aria-label={`remove variable ${r.name || i + 1}`} onClick={() => setRows(rows.filter((x) => x.id !== r.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <button type="button" className="link" onClick={() => addRow('')}>
        + Add variable
      </button>
      {missing.length > 0 && (
        <p className="sc-side-note sc-missing" data-testid="unset-variables">
          Not set, so the run would be refused:{' '}
          {missing.map((name) => (
            <button key={name} type="button" className="sc-chip" title={`Add a row for ${name}`} onClick={() => addRow(name)}>
              {'${'}
              {name}
              {'}'} +
            </button>
          ))}
        </p>
      )}
      {empty.length > 0 && (
        <p className="sc-side-note sc-missing" data-testid="empty-variables">
          Empty, so the run puts nothing there: {empty.map((name) => `\${${name}}`).join(', ')}
        </p>
      )}
      <details className="sc-builtins">
        <summary className="muted">Built-in variables</summary>
        <p className="muted sc-side-note">
          <code>run_date</code> is yesterday (yyyyMMdd), the usual data date of a daily batch; give it a value to move every date below.{' '}
          <code>_std</code> forms are yyyy-MM-dd. <code>{'${run_date-1}'}</code> steps by days, the month, quarter, half-year and year
          variables by their own unit. Also <code>{'${user}'}</code>, <code>{'${submit_user}'}</code>, <code>{'--@set name=value'}</code> lines
          and <code>{'&{yyyyMMdd%-1d}'}</code> patterns.
        </p>
        <p className="muted sc-side-note sc-builtin-names">{DATE_VARIABLES.map((n) => `\${${n}}`).join(', ')}</p>
      </details>
    </section>
  )
}
