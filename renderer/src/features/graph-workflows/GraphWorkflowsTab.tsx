import { ReactFlowProvider, useReactFlow } from '@xyflow/react'
import { useEffect, useRef, useState } from 'react'
import type { GraphWorkflowSummary } from '../../../../shared/graph-workflows'
import { STATUS_LABELS, isTerminalJob } from '../../../../shared/status'
import type { JobDetail } from '../../../../shared/model'
import { WORKFLOW_LIST_PAGE } from '../../../../shared/workflow-limits'
import { onEvent, send } from '../../api/client'
import { useSession } from '../../stores/session'
import { ConfirmDialog } from '../jobs/ConfirmDialog'
import { asksBeforeRerun, RerunConfirm } from '../jobs/RerunConfirm'
import { formatTime } from '../jobs/format'
import { StatusBadge } from '../jobs/StatusBadge'
import { NODE_WIDTH, paletteGroups } from './canvas-model'
import { RunInputDialog } from './RunInputDialog'
import { SettingsPanel } from './SettingsPanel'
import { mayDiscard, useGraphWorkflows } from './store'
import { addFromPalette, PALETTE_MIME, WorkflowCanvas } from './WorkflowCanvas'
import { asSentence } from '../shell/form-errors'
import { ListCutNote } from '../shell/ListCutNote'
import { ListStatus } from '../shell/ListStatus'
import { SafeText, visibleText } from '../shell/SafeText'
import './graph-workflows.css'

const PALETTE = paletteGroups()

/** A long algorithm name may wrap where its words meet (Betweenness|Centrality), never mid-word. */
const breakable = (name: string) => name.split(/(?=[A-Z][a-z])/).flatMap((part, i) => (i ? [<wbr key={i} />, part] : [part]))

/** The workflows the user owns (an admin: everyone's), with Explorer's numeric ids, each one's last run, and delete. */
function WorkflowList() {
  const summaries = useGraphWorkflows((s) => s.summaries)
  const list = useGraphWorkflows((s) => s.list)
  const error = useGraphWorkflows((s) => s.error)
  const note = useGraphWorkflows((s) => s.note)
  const { open, newWorkflow, remove } = useGraphWorkflows.getState()
  const [deleting, setDeleting] = useState<GraphWorkflowSummary | null>(null)
  return (
    <section className="gw-list" aria-label="graph workflows">
      <div className="gw-list-head">
        <p className="muted">Graph workflows chain Cypher queries and graph algorithms on a canvas; each run is a job on the Jobs page.</p>
        <button className="primary" onClick={newWorkflow}>
          New workflow
        </button>
      </div>
      {error && <p className="error-text">{asSentence(error)}</p>}
      {!error && note && (
        <p className="gw-message" role="status">
          {note}
        </p>
      )}
      {summaries.length === 0 ? (
        <ListStatus load={list} rows={0} what="graph workflows" className="muted" retry={() => void useGraphWorkflows.getState().refreshList()} empty="No graph workflows yet." />
      ) : (
        <table className="gw-list-table">
          <thead>
            <tr>
              <th>ID</th>
              <th>Name</th>
              <th className="num">Version</th>
              <th>Owner</th>
              <th>Saved</th>
              <th>Last run</th>
              <th aria-label="actions" />
            </tr>
          </thead>
          <tbody>
            {summaries.map((w) => (
              <tr key={w.id} data-testid={`gw-row-${w.id}`} tabIndex={0} onClick={() => void open(w.id)} onKeyDown={(e) => e.target === e.currentTarget && e.key === 'Enter' && void open(w.id)}>
                <td className="gw-id">{w.id}</td>
                <td>
                  <SafeText text={w.name} />
                </td>
                <td className="num">{w.latestVersion}</td>
                <td>
                  <SafeText text={w.owner} />
                </td>
                <td>{formatTime(w.updatedAt)}</td>
                <td className="gw-last-run" data-testid={`gw-last-run-${w.id}`} title={w.lastRun ? `Job #${w.lastRun.jobId}` : undefined}>
                  {w.lastRun ? (
                    <>
                      <StatusBadge status={w.lastRun.status} /> <span className="muted">{formatTime(w.lastRun.at)}</span>
                    </>
                  ) : (
                    <span className="muted">never run</span>
                  )}
                </td>
                <td className="gw-row-actions">
                  <button
                    className="link gw-delete"
                    aria-label={`delete ${w.name}`}
                    title="Delete this workflow and its versions; its jobs stay on the Jobs page"
                    onClick={(e) => {
                      e.stopPropagation()
                      setDeleting(w)
                    }}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ListCutNote items={summaries} limit={WORKFLOW_LIST_PAGE.maxLimit} what="graph workflows" newest="most recently saved" className="muted" testId="gw-list-cut" />
      {deleting && (
        <ConfirmDialog
          title={`Delete the workflow ${visibleText(deleting.name)}?`}
          confirm="Delete"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            void remove(deleting.id)
            setDeleting(null)
          }}
        >
          <p>
            Workflow {deleting.id} and its {deleting.latestVersion === 1 ? 'version' : `${deleting.latestVersion} versions`} are deleted. Its jobs stay on the Jobs page with their results.
          </p>
        </ConfirmDialog>
      )}
    </section>
  )
}

/** Components to add: click one (it lands in view) or drag it onto the canvas. */
function Palette() {
  const { screenToFlowPosition, fitView } = useReactFlow()
  const addInView = (entry: (typeof PALETTE)[number]['entries'][number]['entry']) => {
    const placed = useGraphWorkflows.getState().draft.components.filter((c) => c.position)
    const last = placed.reduce<(typeof placed)[number] | null>((right, c) => (!right || c.position!.x > right.position!.x ? c : right), null)
    if (last) {
      // beside the rightmost component, where the next step of a chain goes; then all of it in view
      addFromPalette(entry, { x: last.position!.x + NODE_WIDTH + 70, y: last.position!.y })
      setTimeout(() => void fitView({ padding: 0.2, maxZoom: 1, duration: 150 }), 60) // once the new node is measured
    } else {
      const box = document.querySelector('[data-testid="gw-canvas"]')?.getBoundingClientRect()
      addFromPalette(entry, box ? screenToFlowPosition({ x: box.left + box.width / 4, y: box.top + box.height / 4 }) : { x: 0, y: 0 })
    }
  }
  return (
    <nav className="gw-palette" aria-label="components">
      {PALETTE.map((g) => (
        <div key={g.title} className="gw-palette-group">
          <h4>{g.title}</h4>
          {g.entries.map((e) => (
            <button
              key={e.label}
              className="gw-palette-item"
              draggable
              title={`${e.description}. Click to add, or drag onto the canvas.`}
              aria-label={`add ${e.label}`}
              onDragStart={(ev) => {
                ev.dataTransfer.setData(PALETTE_MIME, JSON.stringify(e.entry))
                ev.dataTransfer.effectAllowed = 'copy'
              }}
              onClick={() => addInView(e.entry)}
            >
              {breakable(e.label)}
            </button>
          ))}
        </div>
      ))}
    </nav>
  )
}

/**
 * The shown job: its state, and cancel or the two reruns. From the failed components it runs in place,
 * as whoever submitted it (their tasks keep their user); whole, it is a new job submitted by me
 * (jobs.rerun), so another user's job asks first, showing its queries and algorithms (RerunConfirm).
 */
function JobBar() {
  const job = useGraphWorkflows((s) => s.job)
  const me = useSession((s) => s.user?.username)
  const [asking, setAsking] = useState<JobDetail | null>(null)
  const { cancel, rerun, hideJob } = useGraphWorkflows.getState()
  if (!job) return null
  const rerunWhole = () => {
    if (!asksBeforeRerun(job.job, me)) return void rerun('start')
    send('jobs.get', { id: job.job.id }).then(setAsking, (e: unknown) => useGraphWorkflows.setState({ error: e instanceof Error ? e.message : String(e) }))
  }
  const done = job.components.filter((c) => c.status === 'succeeded').length
  const finished = isTerminalJob(job.job.status)
  return (
    <div className={`gw-jobbar status-${job.job.status}`} role="status" data-testid="gw-jobbar" data-status={job.job.status}>
      <span>
        Job <strong>#{job.job.id}</strong> (version {job.version}): <strong>{STATUS_LABELS[job.job.status]}</strong> · {done}/{job.components.length} components done
      </span>
      <span className="gw-spacer" />
      {!finished && <button onClick={() => void cancel()}>Cancel</button>}
      {finished && job.job.status !== 'succeeded' && (
        <button onClick={() => void rerun('failed')} title="Run this job again from its failed or cancelled components, keeping what finished">
          Rerun from failed
        </button>
      )}
      {finished && (
        <button onClick={rerunWhole} title="Run the whole workflow again as a new job, submitted by you">
          Rerun
        </button>
      )}
      {asking && me !== undefined && (
        <RerunConfirm detail={asking} me={me} onClose={() => setAsking(null)} onConfirm={() => {
          setAsking(null)
          // the job asked about, not one shown since
          if (useGraphWorkflows.getState().job?.job.id === asking.id) void rerun('start')
        }} />
      )}
      <button className="link" onClick={hideJob} aria-label="hide the job" title="Back to designing">
        ✕
      </button>
    </div>
  )
}

function Toolbar() {
  const detail = useGraphWorkflows((s) => s.detail)
  const dirty = useGraphWorkflows((s) => s.dirty)
  const busy = useGraphWorkflows((s) => s.busy)
  const name = useGraphWorkflows((s) => s.draft.name)
  const { backToList, save, run, open } = useGraphWorkflows.getState()
  return (
    <div className="gw-toolbar">
      <button className="link" onClick={() => void mayDiscard().then((ok) => ok && backToList())}>
        ← Workflows
      </button>
      <strong className="gw-name" title={visibleText(name)}>
        <SafeText text={name} />
      </strong>
      {detail ? (
        <span className="gw-id muted" data-testid="gw-workflow-id" title="The workflow's id, as Explorer's API uses it">
          ID {detail.id}
        </span>
      ) : (
        <span className="muted">new</span>
      )}
      {detail && (
        <select aria-label="version" value={detail.version} onChange={(e) => {
            const version = Number(e.target.value)
            void mayDiscard().then((ok) => (ok ? open(detail.id, version) : undefined))
          }} title="Open a saved version">
          {[...detail.versions].reverse().map((v) => (
            <option key={v.version} value={v.version}>
              v{v.version}
              {v.version === detail.latestVersion ? ' (latest)' : ''} · {formatTime(v.savedAt)} · {v.savedBy}
            </option>
          ))}
        </select>
      )}
      {dirty && (
        <span className="gw-unsaved" data-testid="gw-unsaved">
          unsaved
        </span>
      )}
      <span className="gw-spacer" />
      <button onClick={() => void save()} disabled={busy !== null} title="Save as a new version (Ctrl+S)">
        {busy === 'saving' ? 'Saving…' : 'Save'}
      </button>
      <button className="primary" onClick={() => void run()} disabled={busy !== null} title="Check, save if changed, and run as a job">
        {busy === 'running' ? 'Starting…' : 'Run'}
      </button>
    </div>
  )
}

function Editor() {
  const error = useGraphWorkflows((s) => s.error)
  const note = useGraphWorkflows((s) => s.note)
  const root = useRef<HTMLDivElement>(null)
  // graphs and uploaded files may have changed since the tab opened
  useEffect(() => void useGraphWorkflows.getState().loadChoices(), [])
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault()
        void useGraphWorkflows.getState().save()
      }
    }
    // closing or reloading the window, or leaving the canvas, with unsaved edits asks first (features/shell/leave-guard)
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="gw-editor" ref={root}>
      <Toolbar />
      <JobBar />
      {error && (
        <p className="gw-message error" role="alert">
          {asSentence(error) /* the server's words for API clients, as the other pages show them */}
        </p>
      )}
      {!error && note && (
        <p className="gw-message" role="status">
          {note}
        </p>
      )}
      <div className="gw-body">
        <Palette />
        <WorkflowCanvas />
        <SettingsPanel />
      </div>
      <RunInputDialog />
    </div>
  )
}

/** The Graph page's Workflows tab: the list of graph workflows, or one on its canvas. */
export function GraphWorkflowsTab() {
  const view = useGraphWorkflows((s) => s.view)
  const apply = useGraphWorkflows((s) => s.apply)
  useEffect(() => {
    const s = useGraphWorkflows.getState()
    void s.refreshList()
    void s.loadChoices()
    const shown = s.job
    if (shown) void s.loadJob(shown.job.id) // it may have moved on while the tab was away
  }, [])
  useEffect(() => onEvent(apply), [apply])
  return view === 'list' ? (
    <WorkflowList />
  ) : (
    <ReactFlowProvider>
      <Editor />
    </ReactFlowProvider>
  )
}
