import { GraphsPanel } from './GraphsPanel'
import './graph.css'

/** The Graph page: the graphs panel (graphs, their labels and counts); the explorer joins it later. */
export function GraphPage({ onImport }: { onImport?: (graph: string) => void }) {
  return (
    <div className="gr-page">
      <h1>Graph</h1>
      <GraphsPanel onImport={onImport} />
    </div>
  )
}
