import type { GraphTab } from '../../stores/route'
import { mayLeave } from '../shell/leave-guard'
import { lazy, Suspense } from 'react'
import { useExplorer } from './explorer-store'
import { GraphsPanel } from './GraphsPanel'
import './graph.css'

// The explorer's editor (CodeMirror) and layout (d3-force) are loaded when it is first shown.
const Explorer = lazy(() => import('./Explorer').then((m) => ({ default: m.Explorer })))
// The workflow canvas (@xyflow/react, dagre) likewise.
const GraphWorkflowsTab = lazy(() => import('../graph-workflows/GraphWorkflowsTab').then((m) => ({ default: m.GraphWorkflowsTab })))

/** The Graph page: explore a graph with Cypher (editor, table, picture, schema, history), manage the graphs, or build and run graph workflows. */
export function GraphPage({ onImport }: { onImport?: (graph: string) => void }) {
  const tab = useExplorer((s) => s.tab)
  const showTab = useExplorer((s) => s.setTab)
  // leaving the workflow canvas with unsaved edits asks first (the shell's leave question)
  const setTab = (to: GraphTab) => to !== useExplorer.getState().tab && void mayLeave({ page: 'graph', graphTab: to }).then((ok) => ok && showTab(to))
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
          <button role="tab" aria-selected={tab === 'workflows'} onClick={() => setTab('workflows')} title="Graph workflows: queries and algorithms wired on a canvas">
            Workflows
          </button>
        </div>
      </div>
      {tab === 'explore' && (
        <Suspense fallback={<div className="loading">Loading the query editor…</div>}>
          <Explorer />
        </Suspense>
      )}
      {tab === 'graphs' && <GraphsPanel onImport={onImport} />}
      {tab === 'workflows' && (
        <Suspense fallback={<div className="loading">Loading the workflow canvas…</div>}>
          <GraphWorkflowsTab />
        </Suspense>
      )}
    </div>
  )
}
