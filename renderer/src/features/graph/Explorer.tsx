import { useCallback, useEffect, useMemo, useState } from 'react'
import { downloadText } from '../scripts/download'
import '../scripts/scripts.css' // the result table's look (.sc-table), shared with the Scripts page
import { CellValue } from './CellValue'
import { CypherEditor } from './CypherEditor'
import { errorExcerpt, shownCell, HEADER_TYPES, resultCsv } from './cypher-result'
import { completionSchema, useExplorer } from './explorer-store'
import { GraphView, MAX_DRAWN_NODES } from './GraphView'
import { ItemDetails } from './ItemDetails'
import { LabelDot } from './LabelDot'
import { SafeText, visibleText } from '../shell/SafeText'
import { ExplorerSidebar } from './ExplorerSidebar'
import { formatCount } from '../../../../shared/number-format'

/** The table shows this many rows (the CSV export has them all). */
export const TABLE_ROWS = 1000

/**
 * The Graph page's explorer, as Neo4j Browser and TuGraph's browser lay it out: the graph's schema
 * and the query history on the left; the Cypher editor, its run (elapsed time, Stop) and the
 * result as a table or a picture on the right.
 */
export function Explorer() {
  const s = useExplorer()
  const [jump, setJump] = useState<{ line: number; column: number; nonce: number } | null>(null)
  useEffect(() => {
    void s.loadGraphs().then(() => useExplorer.getState().loadProcedures())
  }, [])
  const info = s.info?.name === s.graph ? s.info : undefined // the chosen graph's definitions (graphs.get)
  const schema = useMemo(() => completionSchema(info, s.procedures), [info, s.procedures])
  const run = () => void useExplorer.getState().run()
  // an error that points into the query puts the cursor there
  useEffect(() => {
    if (s.error?.position) setJump((j) => ({ ...s.error!.position!, nonce: (j?.nonce ?? 0) + 1 }))
  }, [s.error])

  return (
    <div className="gx-page">
      <ExplorerSidebar info={info} />
      <section className="gx-main" aria-label="query">
        <div className="gx-toolbar">
          <label className="gx-picker">
            Graph
            <select aria-label="graph to query" value={s.graph} onChange={(e) => s.setGraph(e.target.value)} disabled={!!s.running}>
              {s.graphs.length === 0 && <option value={s.graph}>{visibleText(s.graph)}</option>}
              {s.graphs.map((g) => (
                <option key={g.name} value={g.name}>
                  {visibleText(g.name)}
                </option>
              ))}
            </select>
          </label>
          <span className="gx-spacer" />
          {s.running ? (
            <RunningBar startedAt={s.running.startedAt} stopping={s.running.stopping} onStop={() => void s.stop()} />
          ) : (
            <button className="primary gx-run" onClick={run} title="Run the query (Ctrl+Enter)">
              Run <kbd>Ctrl+Enter</kbd>
            </button>
          )}
        </div>
        <div className="gx-editor-pane">
          <CypherEditor value={s.script} onChange={s.setScript} onRun={run} schema={schema} jump={jump} />
        </div>
        {s.error && <ErrorBox error={s.error} />}
        {s.note && (
          <p className="gx-note" role="status">
            {s.note}
          </p>
        )}
        <Results />
      </section>
    </div>
  )
}

/** Elapsed time, an indeterminate bar and Stop while a query runs. */
function RunningBar({ startedAt, stopping, onStop }: { startedAt: number; stopping: boolean; onStop: () => void }) {
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 100)
    return () => clearInterval(t)
  }, [])
  return (
    <span className="gx-running" role="status" aria-label="query running">
      <span className="gx-busy" aria-hidden="true" />
      <span className="gx-elapsed" data-testid="query-elapsed">
        {stopping ? 'Stopping… ' : 'Running… '}
        {((now - startedAt) / 1000).toFixed(1)} s
      </span>
      <button className="gx-stop" onClick={onStop} disabled={stopping}>
        Stop
      </button>
    </span>
  )
}

function ErrorBox({ error }: { error: NonNullable<ReturnType<typeof useExplorer.getState>['error']> }) {
  const excerpt = error.position ? errorExcerpt(error.script, error.position) : null
  const stopped = error.code === 'query_cancelled'
  return (
    <div className={`gx-error${stopped ? ' gx-error-stopped' : ''}`} role="alert" data-testid="query-error">
      <strong>{stopped ? 'Stopped' : error.position ? `Error at line ${error.position.line}, column ${error.position.column}` : 'Error'}</strong>
      <div>{stopped ? 'The query was stopped before it finished.' : error.message}</div>
      {excerpt && <pre className="gx-excerpt">{excerpt}</pre>}
    </div>
  )
}

function Results() {
  const s = useExplorer()
  const result = s.result
  if (!result) {
    if (s.error) return null
    return <div className="gx-results gx-empty muted">{s.running ? 'Running the query…' : 'Run a query to see its rows here, or click a label on the left.'}</div>
  }
  const rows = result.rows
  const exportCsv = () => downloadText(`${s.graph}-query.csv`, resultCsv(result))
  const noGraph = s.picture.nodes.length === 0
  return (
    <div className="gx-results">
      <div className="gx-result-bar">
        <div className="gx-views" role="group" aria-label="result view">
          <button aria-pressed={s.view === 'table'} onClick={() => s.setView('table')}>
            Table
          </button>
          <button aria-pressed={s.view === 'graph'} onClick={() => s.setView('graph')}>
            Graph
          </button>
        </div>
        <span className="muted gx-summary" data-testid="result-summary">
          {result.summary ?? `${formatCount(rows.length)} row${rows.length === 1 ? '' : 's'}`} in {(result.elapsed * 1000).toFixed(0)} ms
          {s.view === 'graph' && !noGraph && ` · ${s.picture.nodes.length} nodes, ${s.picture.edges.length} relationships`}
        </span>
        <span className="gx-spacer" />
        <button onClick={exportCsv} disabled={result.header.length === 0}>
          Export CSV
        </button>
      </div>
      {s.view === 'table' ? (
        <ResultTable />
      ) : noGraph ? (
        <div className="gx-empty muted">No nodes or relationships in this result: it shows as a table.</div>
      ) : (
        <div className="gx-picture">
          <Legend />
          <GraphView picture={s.picture} selected={s.selected} onSelect={s.select} onExpand={(id) => void s.expand(id)} expanding={s.expanding} />
          {s.picture.nodes.length > MAX_DRAWN_NODES && <p className="gx-cap muted">Showing the first {MAX_DRAWN_NODES} nodes; the table has every row.</p>}
          <ItemDetails />
        </div>
      )}
    </div>
  )
}

function Legend() {
  const picture = useExplorer((s) => s.picture)
  const counts = new Map<string, number>()
  for (const n of picture.nodes) counts.set(n.label, (counts.get(n.label) ?? 0) + 1)
  return (
    <ul className="gx-legend" aria-label="labels in the picture">
      {[...counts].map(([label, count]) => (
        <li key={label}>
          <LabelDot label={label} /> {label} <span className="muted">{count}</span>
        </li>
      ))}
    </ul>
  )
}

function ResultTable() {
  const result = useExplorer((s) => s.result)!
  const info = useExplorer((s) => (s.info?.name === s.graph ? s.info : undefined))
  // a vertex cell shows its primary property first (its properties come sorted by name)
  const primaryOf = useCallback(
    (label: string) => {
      const def = info?.labels.find((l) => l.name === label)?.def
      return def?.type === 'VERTEX' ? def.primary : undefined
    },
    [info],
  )
  const rows = result.rows.slice(0, TABLE_ROWS)
  const numeric = result.header.map((_, c) => rows.some((r) => typeof r[c] === 'number') && rows.every((r) => r[c] == null || typeof r[c] === 'number'))
  if (result.header.length === 0) return <div className="gx-empty muted">{result.summary ?? 'The query returned no columns.'}</div>
  return (
    <div className="gx-table-wrap">
      <table className="sc-table" data-testid="cypher-table" aria-label="query result">
        <thead>
          <tr>
            <th className="sc-rownum">#</th>
            {result.header.map((h, i) => (
              <th key={i} className={numeric[i] ? 'sc-number' : undefined}>
                <span className="sc-colname" title={visibleText(h.name)}>
                  <SafeText text={h.name} />
                </span>
                {h.type !== 0 && <span className="sc-coltype">{HEADER_TYPES[h.type]}</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              <td className="sc-rownum">{r + 1}</td>
              {row.map((v, c) => {
                const shown = shownCell(v, primaryOf)
                // a cut value's expand says it all; a tooltip stays for a rounded number and the JSON of a vertex shown whole
                return (
                  <td key={c} className={numeric[c] ? 'sc-number' : undefined} title={shown.exact === undefined || shown.cut ? undefined : visibleText(shown.exact, { multiline: true })}>
                    <CellValue shown={shown} json={typeof v === 'object'} />
                  </td>
                )
              })}
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={result.header.length + 1} className="empty">
                No rows.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {result.rows.length > TABLE_ROWS && (
        <p className="muted gx-cap">
          Showing the first {formatCount(TABLE_ROWS)} of {formatCount(result.rows.length)} rows; Export CSV has them all.
        </p>
      )}
    </div>
  )
}
