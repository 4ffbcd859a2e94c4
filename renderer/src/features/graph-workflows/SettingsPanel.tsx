import { useEffect, useState, type ReactNode } from 'react'
import { ALGORITHM_SPECS, fitsProperty, writeBackNewPropertyLabels, writeBackPropertyProblem, writeBackResultType, type AlgorithmParamSpec, type ParamValue } from '../../../../shared/algorithms'
import type { GraphSummary } from '../../../../shared/graph'
import {
  QUERY_PARAM_TYPES,
  wiresInto,
  type AlgorithmComponent,
  type AlgorithmInput,
  type GraphWorkflowComponent,
  type GraphWorkflowIssue,
  type QueryComponent,
  type QueryParamType,
} from '../../../../shared/graph-workflows'
import { CellValue } from '../graph/CellValue'
import { visibleText } from '../shell/SafeText'
import { shownCell } from '../graph/cypher-result'
import { useGraphSchema } from '../graph/graph-schema'
import { StatusBadge } from '../jobs/StatusBadge'
import { formatDuration } from '../jobs/format'
import { issueText, parseParam, removeComponents, updateComponent } from './canvas-model'
import { queryShape } from './query-shape'
import { useJobResults } from '../../stores/job-results'
import { draftIssues, SAMPLE_ROWS, useGraphWorkflows } from './store'
import { formatCount } from '../../../../shared/number-format'

/** Characters of a value the component sample (a narrow column) shows before "…": some 3 of its lines. */
const SAMPLE_CELL_CHARS = 64

const NUMERIC = new Set(['INT8', 'INT16', 'INT32', 'INT64', 'FLOAT', 'DOUBLE'])

/** The problems of a component at a field (`params.ROOT`, `input.graph`, `query`), from the validator's `components[i].…` paths. */
function fieldIssues(issues: GraphWorkflowIssue[], field: string): string[] {
  return issues.filter((i) => i.field.replace(/^components\[\d+\]\.?/, '').startsWith(field)).map(issueText)
}

function Problems({ texts, testId }: { texts: string[]; testId?: string }) {
  if (!texts.length) return null
  return (
    <ul className="gw-field-issues" data-testid={testId}>
      {texts.map((t) => (
        <li key={t}>{t}</li>
      ))}
    </ul>
  )
}

function Field({ label, hint, issues, children }: { label: string; hint?: ReactNode; issues?: string[]; children: ReactNode }) {
  return (
    <div className={`gw-field${issues?.length ? ' has-issue' : ''}`}>
      <label>
        <span className="gw-field-label">{label}</span>
        {children}
      </label>
      {hint && <div className="gw-field-hint">{hint}</div>}
      <Problems texts={issues ?? []} />
    </div>
  )
}

/** A text field that keeps what is typed (`0.` on the way to `0.5`) and hands on the parsed value. */
function ParamInput({ value, type, placeholder, label, onChange }: { value: ParamValue | undefined; type: AlgorithmParamSpec['type'] | QueryParamType; placeholder: string; label: string; onChange: (v: ParamValue | undefined) => void }) {
  const [text, setText] = useState(value === undefined ? '' : String(value))
  useEffect(() => {
    if (parseParam(type, text) !== value) setText(value === undefined ? '' : String(value))
  }, [value])
  return (
    <input
      aria-label={label}
      value={text}
      placeholder={placeholder}
      inputMode={type === 'int' || type === 'float' ? 'decimal' : undefined}
      onChange={(e) => {
        setText(e.target.value)
        onChange(parseParam(type, e.target.value))
      }}
    />
  )
}

function GraphSelect({ value, graphs, label, onChange }: { value: string; graphs: GraphSummary[]; label: string; onChange: (g: string) => void }) {
  const known = graphs.some((g) => g.name === value)
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {!known && <option value={value}>{value || '(choose a graph)'}</option>}
      {graphs.map((g) => (
        <option key={g.name} value={g.name}>
          {g.name} ({g.vertexCount} vertices, {g.edgeCount} edges)
        </option>
      ))}
    </select>
  )
}

function QuerySettings({ c, issues, change }: { c: QueryComponent; issues: GraphWorkflowIssue[]; change: (c: QueryComponent) => void }) {
  const graphs = useGraphWorkflows((s) => s.graphs)
  const params = c.params ?? []
  const setParam = (i: number, p: Partial<(typeof params)[number]>) => change({ ...c, params: params.map((q, j) => (j === i ? { ...q, ...p } : q)) })
  const [outputs, setOutputs] = useState(c.outputs.join(', '))
  useEffect(() => setOutputs(c.outputs.join(', ')), [c.outputs.join(',')])
  const [parsed, setParsed] = useState('')
  useEffect(() => setParsed(''), [c.id])
  /** Parameters as the query uses them (known ones keep their type and default) and outputs as it returns them; wires follow renamed outputs by position. */
  const parseQuery = () => {
    const shape = queryShape(c.query)
    const next = shape.params.map((name) => params.find((p) => p.name === name) ?? { name, type: 'string' as QueryParamType })
    change({ ...c, params: next, ...(shape.outputs ? { outputs: shape.outputs } : {}) })
    const what = `${next.length} parameter${next.length === 1 ? '' : 's'}`
    setParsed(shape.outputs ? `${what}; outputs ${shape.outputs.join(', ')}` : `${what}; the query returns no named columns (no RETURN, or RETURN *): name the outputs below`)
  }
  return (
    <>
      <Field label="Graph" issues={fieldIssues(issues, 'graph')}>
        <GraphSelect label="query graph" value={c.graph} graphs={graphs} onChange={(graph) => change({ ...c, graph })} />
      </Field>
      <Field label="Cypher query" hint={<>One statement; <code>$name</code> for each parameter below.</>} issues={fieldIssues(issues, 'query')}>
        <textarea aria-label="Cypher query" className="gw-query" rows={4} spellCheck={false} value={c.query} onChange={(e) => change({ ...c, query: e.target.value })} />
        <button className="link" title="Take the $parameters and the returned columns from the query, as Explorer's Parse Parameter does" onClick={parseQuery}>
          Parse parameters and outputs
        </button>
        {parsed && <p className="muted gw-field-hint" role="status">{parsed}</p>}
      </Field>
      <div className="gw-field">
        <span className="gw-field-label">Parameters</span>
        {params.map((p, i) => (
          <div key={i} className="gw-param-row">
            <input aria-label={`parameter ${i + 1} name`} value={p.name} placeholder="name" onChange={(e) => setParam(i, { name: e.target.value })} />
            <select aria-label={`parameter ${p.name} type`} value={p.type} onChange={(e) => setParam(i, { type: e.target.value as QueryParamType })}>
              {QUERY_PARAM_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            <ParamInput label={`parameter ${p.name} default`} type={p.type} value={p.default} placeholder="default" onChange={(v) => setParam(i, { default: v })} />
            <button className="link" aria-label={`remove parameter ${p.name}`} title="Remove" onClick={() => change({ ...c, params: params.filter((_, j) => j !== i) })}>
              ✕
            </button>
          </div>
        ))}
        <button className="link" onClick={() => change({ ...c, params: [...params, { name: `p${params.length + 1}`, type: 'string' }] })}>
          + Parameter
        </button>
        <Problems texts={fieldIssues(issues, 'params')} />
      </div>
      <Field
        label="Output anchors"
        hint={
          <>
            A name per returned column, in order (commas between). <span data-testid="gw-vid-hint">Algorithms on a graph identify vertices by their primary key (<code>Label:key</code> such as <code>Person:1</code> when two vertex labels share a key value): a query wired into ROOT or IDS returns the vertex (<code>RETURN p</code>: it is passed as its key) or the key itself (<code>RETURN p.id</code>), not <code>id(p)</code>, the graph's internal vertex number.</span>
          </>
        }
        issues={fieldIssues(issues, 'outputs')}
      >
        <input
          aria-label="output anchors"
          value={outputs}
          onChange={(e) => {
            setOutputs(e.target.value)
            change({ ...c, outputs: e.target.value.split(',').map((o) => o.trim()).filter((o) => o !== '') })
          }}
        />
      </Field>
    </>
  )
}

function InputSettings({ c, issues, change }: { c: AlgorithmComponent; issues: GraphWorkflowIssue[]; change: (c: AlgorithmComponent) => void }) {
  const graphs = useGraphWorkflows((s) => s.graphs)
  const files = useGraphWorkflows((s) => s.files)
  const filesKnown = useGraphWorkflows((s) => s.filesKnown)
  const input = c.input
  const setInput = (next: AlgorithmInput) => change({ ...c, input: next, ...(next.kind !== 'graph' ? { writeBack: undefined } : {}) })
  const read = useGraphSchema(input.kind === 'graph' && graphs.some((g) => g.name === input.graph) ? input.graph : undefined) // the list does not define labels
  const edgeLabels = read.state === 'read' ? read.info.labels.filter((l) => l.kind === 'edge') : []
  const weights = [...new Set(edgeLabels.filter((l) => input.kind !== 'graph' || !input.edgeLabel || l.name === input.edgeLabel).flatMap((l) => l.def.properties.filter((p) => NUMERIC.has(p.type)).map((p) => p.name)))]
  return (
    <>
      <Field label="Input" issues={fieldIssues(issues, 'input.kind')}>
        <select
          aria-label="algorithm input"
          value={input.kind}
          onChange={(e) => {
            const kind = e.target.value
            if (kind === 'graph') setInput({ kind: 'graph', graph: graphs[0]?.name ?? 'default' })
            else if (kind === 'file') setInput({ kind: 'file', path: files[0]?.path ?? '' })
            else setInput({ kind: 'upstream' })
          }}
        >
          <option value="graph">A local graph</option>
          {/* short enough for the panel's width at 1400 px; the field below says the file's or the wires' shape */}
          <option value="file">A file in the upload folder</option>
          <option value="upstream">Wired from upstream</option>
        </select>
      </Field>
      {input.kind === 'graph' && (
        <>
          <Field
            label="Graph"
            hint={
              <span data-testid="gw-vid-hint">
                Results name vertices by their primary key (<code>Label:key</code> when two vertex labels share a key value), as ROOT and IDS take them: a Query wired to them returns the vertex (<code>p</code>, passed as its key) or the key (<code>p.id</code>), not <code>id(p)</code>.
              </span>
            }
            issues={fieldIssues(issues, 'input.graph')}
          >
            <GraphSelect label="input graph" value={input.graph} graphs={graphs} onChange={(g) => setInput({ kind: 'graph', graph: g })} />
          </Field>
          <Field label="Edge label" issues={fieldIssues(issues, 'input.edgeLabel')}>
            <select aria-label="edge label" value={input.edgeLabel ?? ''} onChange={(e) => setInput({ ...input, edgeLabel: e.target.value || undefined, weight: undefined })}>
              <option value="">Every edge label</option>
              {input.edgeLabel && !edgeLabels.some((l) => l.name === input.edgeLabel) && <option value={input.edgeLabel}>{input.edgeLabel}</option>}
              {edgeLabels.map((l) => (
                <option key={l.name} value={l.name}>
                  {l.name} ({l.count})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Weight" hint={ALGORITHM_SPECS[c.algorithm].usesWeight ? 'A numeric edge property; none: every edge weighs 1.' : `${c.algorithm} does not use weights.`} issues={fieldIssues(issues, 'input.weight')}>
            <select aria-label="weight property" value={input.weight ?? ''} onChange={(e) => setInput({ ...input, weight: e.target.value || undefined })}>
              <option value="">None</option>
              {input.weight && !weights.includes(input.weight) && <option value={input.weight}>{input.weight}</option>}
              {weights.map((w) => (
                <option key={w}>{w}</option>
              ))}
            </select>
          </Field>
        </>
      )}
      {input.kind === 'file' && (
        <>
          <Field label="File" hint={files.length || !filesKnown ? 'Lines of src,dst[,weight].' : 'Your upload folder is empty: upload files on the Imports page.'} issues={fieldIssues(issues, 'input.path')}>
            <select aria-label="input file" value={input.path} onChange={(e) => setInput({ ...input, path: e.target.value })}>
              {!files.some((f) => f.path === input.path) && <option value={input.path}>{input.path || '(choose a file)'}</option>}
              {files.map((f) => (
                <option key={f.path} value={f.path}>
                  {f.path}
                </option>
              ))}
            </select>
          </Field>
          <label className="check">
            <input type="checkbox" checked={input.header ?? false} onChange={(e) => setInput({ ...input, header: e.target.checked || undefined })} />
            The first line is a header
          </label>
        </>
      )}
      {input.kind === 'upstream' && <p className="gw-field-hint">Wire an upstream component’s output anchors into src and dst (and weight) on the canvas.</p>}
      <Problems texts={fieldIssues(issues, 'input').filter((t) => !fieldIssues(issues, 'input.').includes(t))} testId="gw-input-issues" />
    </>
  )
}

function AlgorithmSettings({ c, issues, change, wired }: { c: AlgorithmComponent; issues: GraphWorkflowIssue[]; change: (c: AlgorithmComponent) => void; wired: Map<string, { component: string; anchor: string }> }) {
  const spec = ALGORITHM_SPECS[c.algorithm]
  const setParam = (name: string, v: ParamValue | undefined) => {
    const params = { ...c.params }
    if (v === undefined) delete params[name]
    else params[name] = v
    change({ ...c, params })
  }
  return (
    <>
      <InputSettings c={c} issues={issues} change={change} />
      <h4 className="gw-section">Parameters</h4>
      {spec.params.length === 0 && <p className="muted gw-field-hint">{c.algorithm} takes no parameters.</p>}
      {spec.params.map((p) => {
        const value = c.params?.[p.name]
        const from = wired.get(p.name)
        const def = p.default === undefined ? 'required' : `default ${p.default === '' ? '(empty)' : String(p.default)}`
        const label = `${p.name} · ${p.type}`
        const hint = from ? (
          <>
            Wired from <code>{from.component}.{from.anchor}</code>. {p.description}
          </>
        ) : (
          `${p.description} (${def})`
        )
        return (
          <Field key={p.name} label={label} hint={hint} issues={fieldIssues(issues, `params.${p.name}`)}>
            {p.type === 'bool' ? (
              <select aria-label={p.name} value={value === undefined ? '' : String(value)} disabled={!!from} onChange={(e) => setParam(p.name, parseParam('bool', e.target.value))}>
                <option value="">default ({String(p.default)})</option>
                <option value="true">true</option>
                <option value="false">false</option>
              </select>
            ) : p.type === 'enum' ? (
              <select aria-label={p.name} value={value === undefined ? '' : String(value)} disabled={!!from} onChange={(e) => setParam(p.name, e.target.value === '' ? undefined : e.target.value)}>
                <option value="">default ({String(p.default)})</option>
                {p.values!.map((v) => (
                  <option key={v}>{v}</option>
                ))}
              </select>
            ) : (
              <ParamInput label={p.name} type={p.type} value={value} placeholder={from ? 'wired' : p.default === undefined ? 'required' : String(p.default)} onChange={(v) => setParam(p.name, v)} />
            )}
          </Field>
        )
      })}
      {c.input.kind === 'graph' && <WriteBackSettings c={c} graph={c.input.graph} issues={issues} change={change} />}
    </>
  )
}

/**
 * The write-back property, and what writing into it would do, read from the graph's schema before
 * the run (the server checks the same again, #9): a property whose type the result does not fit
 * (PageRank's DOUBLE into an INT64 age) is named as refused; one in a label that has vertices may
 * hold values, so the form says so and asks to confirm replacing them (writeBack.overwrite); one no
 * label has is named as added, with its labels and type (writeBackNewPropertyLabels).
 */
function WriteBackSettings({ c, graph, issues, change }: { c: AlgorithmComponent; graph: string; issues: GraphWorkflowIssue[]; change: (c: AlgorithmComponent) => void }) {
  const graphs = useGraphWorkflows((s) => s.graphs)
  const read = useGraphSchema(graphs.some((g) => g.name === graph) ? graph : undefined)
  const property = c.writeBack?.property
  const vertexLabels = read.state === 'read' ? read.info.labels.filter((l) => l.kind === 'vertex') : []
  const holders = vertexLabels.flatMap((l) => l.def.properties.filter((p) => p.name === property).map((p) => ({ label: l.name, type: p.type, count: l.count })))
  const resultType = writeBackResultType(c.algorithm, vertexLabels)
  const misfits = resultType ? holders.filter((h) => !fitsProperty(resultType, h.type)) : []
  const filled = holders.filter((h) => h.count > 0)
  // a property no label has is added by the run (the server's write-back does it, as Neo4j GDS's write mode)
  // a name the run's write refuses is not added: the validator's issue (writeBackPropertyProblem) says why
  const adding = property && read.state === 'read' && !writeBackPropertyProblem(property) ? writeBackNewPropertyLabels(property, vertexLabels) : []
  const problems = [
    ...(property && read.state === 'read' && holders.length === 0 && adding.length === 0 && !writeBackPropertyProblem(property) ? [`No vertex label of ${graph} has a property ${property}, and no label has vertices to add it to.`] : []),
    ...(misfits.length ? [`${c.algorithm} gives ${resultType} values; ${property} is ${misfits.map((m) => `${m.type} in [${m.label}]`).join(', ')}: they would not be stored as computed (nothing is rounded), so the run is refused. Write into a ${resultType === 'INT64' ? 'integer or DOUBLE' : resultType} property.`] : []),
    ...fieldIssues(issues, 'writeBack'),
  ]
  const setProperty = (text: string) => change({ ...c, writeBack: text.trim() ? { property: text.trim() } : undefined })
  return (
    <>
      <Field label="Write back to vertex property" hint={`Optional: each vertex’s value${resultType ? ` (${resultType})` : ''} is written into this property of the input graph.`} issues={problems}>
        <input aria-label="write back property" value={property ?? ''} placeholder="(do not write back)" onChange={(e) => setProperty(e.target.value)} />
      </Field>
      {property && adding.length > 0 && (
        <p className="gw-field-hint" data-testid="gw-new-property">
          {property} will be added to {adding.map((l) => `[${l}]`).join(', ')} as {resultType ?? 'the result’s type'} (optional), then written by the run.
        </p>
      )}
      {property && filled.length > 0 && misfits.length === 0 && (
        <div data-testid="gw-overwrite">
          <p className="gw-field-hint">
            {property} exists in {filled.map((h) => `[${h.label}] (${formatCount(h.count)} vertices)`).join(', ')} and may hold values: writing back replaces them. The run is refused unless you confirm.
          </p>
          <label className="check">
            <input type="checkbox" aria-label="replace existing values" checked={c.writeBack?.overwrite === true} onChange={(e) => change({ ...c, writeBack: { property, ...(e.target.checked ? { overwrite: true } : {}) } })} />
            Replace the values {property} holds
          </label>
        </div>
      )}
    </>
  )
}

/** The selected component's task in the shown job: its state, its error, or its first result rows. */
function TaskResult({ id }: { id: string }) {
  const job = useGraphWorkflows((s) => s.job)
  const sample = useGraphWorkflows((s) => s.sample)
  const task = job?.components.find((c) => c.id === id)
  if (!job || !task) return null
  const page = sample?.component === id && sample.jobId === job.job.id ? sample.page : null
  return (
    <section className="gw-result" aria-label="component result" data-testid="gw-result">
      <div className="gw-result-head">
        <StatusBadge status={task.status} />
        <span className="muted">
          job #{job.job.id}
          {task.startedAt !== null && ` · ${formatDuration(task.startedAt, task.finishedAt)}`}
          {task.rows !== null && ` · ${task.rows} rows`}
        </span>
      </div>
      {task.error && (
        <pre className="gw-result-error" role="alert">
          {task.error}
        </pre>
      )}
      {page && (
        <div className="gw-sample-wrap">
          <table className="gw-sample" data-testid="gw-sample">
            <thead>
              <tr>
                {page.columns.map((col) => (
                  <th key={col.name}>{col.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {page.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => {
                    const shown = shownCell(cell, undefined, SAMPLE_CELL_CHARS)
                    return (
                      <td key={j} title={shown.exact === undefined || shown.cut ? undefined : visibleText(shown.exact, { multiline: true })}>
                        <CellValue shown={shown} json={typeof cell === 'object'} />
                      </td>
                    )
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted gw-sample-note">
            {page.total > page.rows.length ? `The first ${page.rows.length} of ${page.total} rows` : `${page.total} row${page.total === 1 ? '' : 's'}`}
            {page.total > SAMPLE_ROWS && (
              <>
                {' · '}
                <a href={`#/jobs/${job.job.id}`} data-testid="gw-all-rows" onClick={() => useJobResults.getState().prefer(job.job.id, id)} title="Page, sort, filter and export all rows of this component on the Jobs page">
                  All {formatCount(page.total)} rows on the Jobs page (CSV, Excel)
                </a>
              </>
            )}
          </div>
        </div>
      )}
      {!page && task.status === 'succeeded' && task.resultIndex === null && <p className="muted">No result rows.</p>}
    </section>
  )
}

/** The right-hand panel: the selected component's result and settings, or the workflow's name and problems. */
export function SettingsPanel() {
  const draft = useGraphWorkflows((s) => s.draft)
  const selected = useGraphWorkflows((s) => s.selected)
  const serverIssue = useGraphWorkflows((s) => s.serverIssue)
  const { edit, select } = useGraphWorkflows.getState()
  const c = draft.components.find((x) => x.id === selected)
  const allIssues = draftIssues(draft, serverIssue)
  if (!c) {
    return (
      <aside className="gw-panel" aria-label="workflow settings">
        <h3>Workflow</h3>
        <Field label="Name" issues={fieldIssues(allIssues.filter((i) => i.field === 'name'), 'name')}>
          <input value={draft.name} onChange={(e) => edit((d) => ({ ...d, name: e.target.value }))} />
        </Field>
        <p className="gw-field-hint">
          {draft.components.length} component{draft.components.length === 1 ? '' : 's'}, {draft.wires.length} wire{draft.wires.length === 1 ? '' : 's'}. Select a component to set it up.
        </p>
        {allIssues.length > 0 && (
          <>
            <h4 className="gw-section">To fix before a run</h4>
            <ul className="gw-issue-list" data-testid="gw-issues">
              {allIssues.map((i, k) => (
                <li key={k}>
                  {i.component ? (
                    <button className="link" onClick={() => select(i.component!)}>
                      {i.component}
                    </button>
                  ) : null}
                  {i.component ? ': ' : ''}
                  {issueText(i)}
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    )
  }
  const issues = allIssues.filter((i) => i.component === c.id)
  const change = (next: GraphWorkflowComponent) => edit((d) => updateComponent(d, next))
  return (
    <aside className="gw-panel" aria-label="component settings">
      <div className="gw-panel-head">
        <h3 title={c.id}>{c.kind === 'query' ? 'Query' : c.algorithm}</h3>
        <code className="muted">{c.id}</code>
        <span className="gw-spacer" />
        <button
          className="link gw-delete"
          onClick={() => {
            edit((d) => removeComponents(d, [c.id]))
            select(null)
          }}
        >
          Delete
        </button>
      </div>
      <TaskResult id={c.id} />
      <Field label="Name on the canvas">
        <input aria-label="component name" value={c.name ?? ''} placeholder={c.kind === 'query' ? 'Query' : c.algorithm} onChange={(e) => change({ ...c, name: e.target.value.trim() ? e.target.value : undefined })} />
      </Field>
      {c.kind === 'query' ? <QuerySettings c={c} issues={issues} change={change} /> : <AlgorithmSettings c={c} issues={issues} change={change} wired={wiresInto(draft, c.id)} />}
      <Problems texts={issues.filter((i) => i.field.startsWith('wires')).map(issueText)} />
    </aside>
  )
}
