import { lazy, Suspense } from 'react'
import { useExplorer } from './explorer-store'
import { GraphsPanel } from './GraphsPanel'
import './graph.css'

// The explorer's editor (CodeMirror) and layout (d3-force) are loaded when it is first shown.
const Explorer = lazy(() => import('./Explorer').then((m) => ({ default: m.Explorer })))

/** The Graph page: explore a graph with Cypher (editor, table, picture, schema, history), or manage the graphs. */
export function GraphPage({ onImport }: { onImport?: (graph: string) => void }) {
  const tab = useExplorer((s) => s.tab)
  const setTab = useExplorer((s) => s.setTab)
  return (
    <div className={`gr-page gr-page-${tab}`}>
      <div className="gr-top">
        <h1>Graph</h1>
        <div className="gr-tabs" role="tablist" aria-label="graph page">
          <button role="tab" aria-selected={tab === 'explore'} onClick={() => setTab('explore')}>
            Query
          </button>
          <button role="tab" aria-selected={tab === 'graphs'} onClick={() => setTab('graphs')}>
            Graphs
          </button>
        </div>
      </div>
      {tab === 'explore' ? (
        <Suspense fallback={<div className="loading">Loading the query editor…</div>}>
          <Explorer />
        </Suspense>
      ) : (
        <GraphsPanel onImport={onImport} />
      )}
    </div>
  )
}
