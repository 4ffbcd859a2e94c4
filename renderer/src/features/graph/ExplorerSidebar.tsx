import { useState } from 'react'
import type { GraphInfo, LabelInfo } from '../../../../shared/graph'
import { formatTime } from '../jobs/format'
import { labelQuery } from './cypher-result'
import { useExplorer, type HistoryEntry } from './explorer-store'
import { SafeText, visibleText } from '../shell/SafeText'
import { LabelDot } from './LabelDot'
import { formatCount } from '../../../../shared/number-format'

const n = formatCount

/** The chosen graph's labels (counts, properties; a click runs the label's first rows) and the query history. */
export function ExplorerSidebar({ info }: { info: GraphInfo | undefined }) {
  const [tab, setTab] = useState<'schema' | 'history'>('schema')
  return (
    <aside className="gx-side" aria-label="schema and history">
      <div className="gx-side-tabs" role="tablist">
        <button role="tab" aria-selected={tab === 'schema'} onClick={() => setTab('schema')}>
          Schema
        </button>
        <button role="tab" aria-selected={tab === 'history'} onClick={() => setTab('history')}>
          History
        </button>
      </div>
      {tab === 'schema' ? <SchemaList info={info} /> : <HistoryList />}
    </aside>
  )
}

function SchemaList({ info }: { info: GraphInfo | undefined }) {
  const loadGraphs = useExplorer((s) => s.loadGraphs)
  if (!info) return <p className="muted gx-side-note">No graph chosen.</p>
  const vertices = info.labels.filter((l) => l.kind === 'vertex')
  const edges = info.labels.filter((l) => l.kind === 'edge')
  return (
    <div className="gx-schema" aria-label={`schema of ${info.name}`}>
      <div className="gx-side-head">
        <span className="muted">
          {n(info.vertexCount)} nodes · {n(info.edgeCount)} relationships
        </span>
        <button className="link" onClick={() => void loadGraphs()}>
          Refresh
        </button>
      </div>
      <h3>Vertex labels</h3>
      <LabelList labels={vertices} />
      <h3>Edge labels</h3>
      <LabelList labels={edges} />
    </div>
  )
}

function LabelList({ labels }: { labels: LabelInfo[] }) {
  const run = useExplorer((s) => s.run)
  const busy = useExplorer((s) => !!s.running)
  const [open, setOpen] = useState<string | null>(null)
  if (labels.length === 0) return <p className="muted gx-side-note">none</p>
  return (
    <ul className="gx-labels">
      {labels.map((l) => {
        const key = `${l.kind}:${l.name}`
        return (
          <li key={key} data-label={l.name}>
            <div className="gx-label-row">
              <button className="gx-label" disabled={busy} onClick={() => void run(labelQuery(l.kind, l.name))} title={`Run ${visibleText(labelQuery(l.kind, l.name))}`} aria-label={`show ${l.kind} label ${visibleText(l.name)}`}>
                {l.kind === 'vertex' ? <LabelDot label={l.name} /> : <span className="gx-edge-mark" aria-hidden="true">→</span>}
                <span className="gx-label-name">
                  <SafeText text={l.name} />
                </span>
                <span className="gx-count">{n(l.count)}</span>
              </button>
              <button className="link gx-props-toggle" aria-expanded={open === key} aria-label={`properties of ${visibleText(l.name)}`} onClick={() => setOpen(open === key ? null : key)}>
                {open === key ? '▾' : '▸'}
              </button>
            </div>
            {open === key && (
              <ul className="gx-label-props">
                {l.def.properties.map((p) => (
                  <li key={p.name}>
                    <code>
                      <SafeText text={p.name} />
                    </code>{' '}
                    <span className="muted">{p.type.toLowerCase()}</span>
                    {l.def.type === 'VERTEX' && l.def.primary === p.name && <span className="muted"> · primary</span>}
                  </li>
                ))}
                {l.def.properties.length === 0 && <li className="muted">no properties</li>}
              </ul>
            )}
          </li>
        )
      })}
    </ul>
  )
}

function HistoryList() {
  const history = useExplorer((s) => s.history)
  const setScript = useExplorer((s) => s.setScript)
  const setGraph = useExplorer((s) => s.setGraph)
  const clear = useExplorer((s) => s.clearHistory)
  const put = (h: HistoryEntry) => {
    setGraph(h.graph)
    setScript(h.script)
  }
  if (history.length === 0) return <p className="muted gx-side-note">Queries you run are kept here.</p>
  return (
    <div className="gx-history-wrap">
      <ul className="gx-history" aria-label="query history">
        {history.map((h) => (
          <li key={`${h.at}:${h.script}`}>
            <button className="gx-history-item" onClick={() => put(h)} title={`${h.script}\n\nClick: put it into the editor`}>
              <code>{h.script.trim().split('\n')[0]}</code>
              <span className="muted">
                {h.graph} · {formatTime(h.at)} · {h.rows === null ? 'failed' : `${n(h.rows)} rows`}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <button className="link gx-clear" onClick={clear}>
        Clear history
      </button>
    </div>
  )
}
