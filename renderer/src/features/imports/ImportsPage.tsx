import { useEffect, useRef } from 'react'
import { useImports } from '../../stores/imports'
import { useSession } from '../../stores/session'
import { counted } from '../../../../shared/number-format'
import { downloadText } from '../scripts/download'
import { FilesStep } from './FilesStep'
import { MappingStep } from './MappingStep'
import { RunStep } from './RunStep'
import { nameInText } from './mapping'
import { visibleText } from '../shell/SafeText'
import './imports.css'

/**
 * Files into a graph, in three steps on one page (as Neo4j's Data Importer and TuGraph's own browser
 * import do): drop files, map each onto a label with its first rows in view, then check and import
 * and read the report. The mapping saves and loads as a TuGraph import config.
 */
export function ImportsPage({ onOpenGraphs, onOpenJob }: { onOpenGraphs?: () => void; onOpenJob?: (jobId: number) => void }) {
  const load = useImports((s) => s.load)
  const graphs = useImports((s) => s.graphs)
  const graph = useImports((s) => s.graph)
  const setGraph = useImports((s) => s.setGraph)
  const files = useImports((s) => s.files)
  const selected = useImports((s) => s.selected)
  const message = useImports((s) => s.message)
  const addFiles = useImports((s) => s.addFiles)
  const reset = useImports((s) => s.reset)
  const configInput = useRef<HTMLInputElement>(null)
  const messageLine = useRef<HTMLParagraphElement>(null)
  useEffect(() => {
    void load()
  }, [load])
  // the line stands above the steps: brought into view, else Check's refusal (the page scrolled to
  // step 3) showed nowhere the user was looking
  useEffect(() => {
    if (message) messageLine.current?.scrollIntoView({ block: 'nearest' })
  }, [message])
  const info = graphs.find((g) => g.name === graph)
  const user = useSession((s) => s.user)
  // importing is the graph's owner's or an admin's (electron/graph/graph-rights.ts): said before the
  // mapping work, not only by Start import's refusal at the end (trial13)
  const mayImport = !info || !user || user.isAdmin || info.owner === user.username
  const save = () => downloadText(`import-${graph}.json`, useImports.getState().configText(), 'application/json')
  return (
    <div className="im-page">
      <header className="im-head">
        <h1>Imports</h1>
        <label className="im-inline">
          Into graph
          <select value={graph} onChange={(e) => setGraph(e.target.value)}>
            {graphs.map((g) => (
              <option key={g.name} value={g.name}>
                {visibleText(g.name)}
              </option>
            ))}
          </select>
        </label>
        {info && (
          <span className="muted im-counts" data-testid="graph-counts">
            {counted(info.vertexCount, 'vertex', 'vertices')} · {counted(info.edgeCount, 'edge')} · {counted(info.labels.length, 'label')}
          </span>
        )}
        {onOpenGraphs && (
          <button className="link" onClick={onOpenGraphs}>
            Manage graphs
          </button>
        )}
        <span className="im-spacer" />
        <span className="im-actions">
          <button onClick={() => configInput.current?.click()} title="A TuGraph import config (JSON with schema and files), with or without its files">
            Load config…
          </button>
          <input
            ref={configInput}
            type="file"
            accept=".json,application/json"
            multiple
            hidden
            data-testid="config-input"
            onChange={(e) => {
              void addFiles([...(e.target.files ?? [])], { asConfig: true })
              e.target.value = ''
            }}
          />
          <button disabled={files.length === 0} onClick={save} title="The mapping as a TuGraph import config, which lgraph_import also reads">
            Save config
          </button>
          <button disabled={files.length === 0} onClick={reset}>
            New import
          </button>
        </span>
      </header>
      {!mayImport && info && (
        <p className="im-message warn" role="note" data-testid="import-not-allowed">
          Graph {visibleText(info.name)} belongs to {visibleText(info.owner)}: only its owner or an admin may import into it. Ask an admin to import your files (Save config
          keeps your mapping for them).
        </p>
      )}
      {message && (
        <p ref={messageLine} className={message.ok ? 'im-message ok' : 'im-message bad'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
          {message.asData && (
            <>
              {' '}
              <button className="link" onClick={() => void addFiles(message.asData!, { asData: message.asData! })}>
                {message.asData.length === 1 ? `It is data: upload ${nameInText(message.asData[0].name)}` : 'They are data: upload them'}
              </button>
            </>
          )}
        </p>
      )}
      <FilesStep />
      {selected && files.some((f) => f.path === selected) ? (
        <MappingStep path={selected} />
      ) : (
        <section className="card im-step" aria-label="mapping">
          <h2>
            <span className="im-step-no">2</span> Map
          </h2>
          <p className="muted">{files.length === 0 ? 'Add files above: each one is mapped here onto a vertex or edge label.' : 'Pick a file above to map its columns.'}</p>
        </section>
      )}
      <RunStep onOpenJob={onOpenJob} />
    </div>
  )
}
