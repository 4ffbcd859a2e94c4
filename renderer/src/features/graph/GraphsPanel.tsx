import { useState, type ReactNode } from 'react'
import type { GraphSummary, LabelInfo } from '../../../../shared/graph'
import { send } from '../../api/client'
import { useSession } from '../../stores/session'
import { formatTime } from '../jobs/format'
import { useGraphSchema } from './graph-schema'
import { errorText } from '../shell/form-errors'
import { SafeText, visibleText } from '../shell/SafeText'
import { ActionMessageLine, useLoadAndAct } from '../shell/load-and-act'
import { ListStatus } from '../shell/ListStatus'
import { formatCount, formatSize } from '../../../../shared/number-format'

const n = formatCount
/** The new-graph form's fields as it names them, for the server's errors. */
const LABELS = { graph: 'The graph name', description: 'The description' }

/** The graphs with their labels and vertex/edge counts; admins create and drop graphs here. */
export function GraphsPanel({ onImport }: { onImport?: (graph: string) => void }) {
  const isAdmin = useSession((s) => s.user?.isAdmin ?? false)
  const username = useSession((s) => s.user?.username)
  /** Importing into and dropping a graph are its owner's or an admin's (electron/graph/graph-rights.ts). */
  const mayChange = (g: GraphSummary) => isAdmin || g.owner === username
  const { data: graphs, list, message, reload, act } = useLoadAndAct(
    () => send('graphs.list', {}),
    (e) => errorText(e, LABELS),
  )
  const [draft, setDraft] = useState({ graph: '', description: '' })
  const [dropping, setDropping] = useState<string | null>(null)
  const [open, setOpen] = useState<string | null>(null)
  const create = async () => {
    const name = draft.graph.trim()
    if (await act(() => send('graphs.create', { graph: name, description: draft.description.trim() || undefined }), `Graph ${name} created.`)) setDraft({ graph: '', description: '' })
  }
  return (
    <section className="card gr-panel" aria-label="graphs">
      <div className="gr-head">
        <h2>Graphs</h2>
        <button className="link" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <ActionMessageLine message={message} />
      <div className="table-wrap">
        <table className="tasks gr-table">
          <thead>
            <tr>
              <th>Graph</th>
              <th className="num">Vertices</th>
              <th className="num">Edges</th>
              <th>Labels</th>
              <th className="num">Size</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {graphs?.map((g) => (
              <GraphRow
                key={g.name}
                g={g}
                open={open === g.name}
                onToggle={() => setOpen(open === g.name ? null : g.name)}
                actions={
                  dropping === g.name ? (
                    <>
                      <span className="error-text">
                        Drop <SafeText text={g.name} /> and all its data?
                      </span>
                      <button className="link" onClick={() => void act(() => send('graphs.drop', { graph: g.name }), `Graph ${visibleText(g.name)} dropped.`).then(() => setDropping(null))}>
                        Drop
                      </button>
                      <button className="link" onClick={() => setDropping(null)}>
                        Keep
                      </button>
                    </>
                  ) : (
                    <>
                      {onImport && mayChange(g) && (
                        <button className="link" onClick={() => onImport(g.name)}>
                          Import files
                        </button>
                      )}
                      {mayChange(g) && (
                        <button className="link" aria-label={`drop graph ${g.name}`} onClick={() => setDropping(g.name)}>
                          Drop
                        </button>
                      )}
                    </>
                  )
                }
              />
            ))}
            <ListStatus load={list} rows={graphs?.length ?? 0} what="graphs" cols={7} retry={() => void reload()} empty={`No graphs.${isAdmin ? ' Create one below.' : ''}`} />
          </tbody>
        </table>
      </div>
      {isAdmin ? (
        <form
          className="gr-create"
          onSubmit={(e) => {
            e.preventDefault()
            void create()
          }}
        >
          <label>
            New graph
            <input aria-label="new graph name" placeholder="letters, digits, _" value={draft.graph} onChange={(e) => setDraft({ ...draft, graph: e.target.value })} />
          </label>
          <label className="gr-grow">
            Description
            <input aria-label="new graph description" value={draft.description} onChange={(e) => setDraft({ ...draft, description: e.target.value })} />
          </label>
          <button className="primary" disabled={!draft.graph.trim()}>
            Create graph
          </button>
        </form>
      ) : (
        <p className="muted">Only admins create and drop graphs.</p>
      )}
    </section>
  )
}

function GraphRow({ g, open, onToggle, actions }: { g: GraphSummary; open: boolean; onToggle: () => void; actions: ReactNode }) {
  return (
    <>
      <tr data-graph={g.name}>
        <td>
          <strong>
            <SafeText text={g.name} />
          </strong>
          {g.description && (
            <div className="muted gr-desc">
              <SafeText text={g.description} multiline />
            </div>
          )}
        </td>
        <td className="num" data-testid="vertex-count">
          {n(g.vertexCount)}
        </td>
        <td className="num" data-testid="edge-count">
          {n(g.edgeCount)}
        </td>
        <td className="gr-labels">
          {g.labels.length === 0 && <span className="muted">none yet</span>}
          {g.labels.map((l) => (
            <span key={`${l.kind}:${l.name}`} className={`gr-chip gr-${l.kind}`} title={`${l.kind} label ${visibleText(l.name)}: ${n(l.count)}`}>
              <SafeText text={l.name} /> <span className="gr-count">{n(l.count)}</span>
            </span>
          ))}
          {g.labels.length > 0 && (
            <button className="link gr-toggle" aria-expanded={open} onClick={onToggle}>
              {open ? 'hide schema' : 'schema'}
            </button>
          )}
        </td>
        <td className="num">{formatSize(g.sizeBytes)}</td>
        <td>{formatTime(g.createdAt || null)}</td>
        <td className="gr-actions">
          <span className="row-actions">{actions}</span>
        </td>
      </tr>
      {open && (
        <tr className="gr-schema-row">
          <td colSpan={7}>
            <GraphSchema graph={g.name} />
          </td>
        </tr>
      )}
    </>
  )
}

/** The graph's label definitions, read when its schema is opened (the list names labels, it does not define them). */
function GraphSchema({ graph }: { graph: string }) {
  const read = useGraphSchema(graph)
  if (read.state === 'reading') return <p className="muted">Reading the schema…</p>
  if (read.state === 'failed') return <p className="error-text">{read.error}</p>
  return <LabelSchemas labels={read.info.labels} />
}

/** Each label's properties with type and flags, the primary key and an edge's constraints. */
function LabelSchemas({ labels }: { labels: LabelInfo[] }) {
  return (
    <div className="gr-schemas">
      {labels.map(({ kind, name, def }) => (
        <div key={`${kind}:${name}`} className="gr-schema">
          <strong>
            {kind} {name}
          </strong>
          {def.type === 'EDGE' && def.constraints.length > 0 && <span className="muted"> {def.constraints.map(([a, b]) => `${a} → ${b}`).join(', ')}</span>}
          <ul>
            {def.properties.map((p) => (
              <li key={p.name}>
                <code>{p.name}</code> {p.type}
                {def.type === 'VERTEX' && def.primary === p.name && <span className="im-new">primary</span>}
                {p.optional && <span className="muted"> optional</span>}
                {p.index && <span className="muted"> {p.unique ? 'unique index' : 'index'}</span>}
              </li>
            ))}
            {def.properties.length === 0 && <li className="muted">no properties</li>}
          </ul>
        </div>
      ))}
    </div>
  )
}
