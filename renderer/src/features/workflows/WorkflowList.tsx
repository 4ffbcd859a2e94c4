import { useState } from 'react'
import { WORKFLOW_LIST_PAGE } from '../../../../shared/workflow-limits'
import type { WorkflowSummary } from '../../../../shared/workflows'
import { useLayout } from '../../stores/layout'
import { useSession } from '../../stores/session'
import { useWorkflows } from '../../stores/workflows'
import { ListCutNote } from '../shell/ListCutNote'
import { ListStatus } from '../shell/ListStatus'
import { formatTime } from '../jobs/format'
import { DeleteWorkflowDialog } from './DeleteWorkflowDialog'
import { SafeText, visibleText } from '../shell/SafeText'
import { mayOpenWorkflow, mayStartNewWorkflow } from './draft-guard'
import { UserName } from '../shell/UserName'

const idOf = (w: WorkflowSummary): string => `${w.workspace}:${w.name}`

/** Where the list is a drawer over the editor (workflows.css), it makes way for what was picked: a workflow, or a new one. */
const makeWayForEditor = () => useLayout.getState().setWorkflowDrawer(false)

function WorkflowItem({ summary, active }: { summary: WorkflowSummary; active: boolean }) {
  const open = useWorkflows((s) => s.open)
  // the server decides (owner or admin); the button shows only where it would agree
  const mayDelete = useSession((s) => s.user !== null && (s.user.isAdmin || s.user.username === summary.owner))
  // an admin's list holds everyone's: another user's workflow names its owner (the viewer's own do not)
  const othersOwner = useSession((s) => (s.user !== null && s.user.username !== summary.owner ? summary.owner : null))
  const [deleting, setDeleting] = useState(false)
  const aliases = Object.keys(summary.aliases).sort()
  return (
    <li className={active ? 'wf-row active' : 'wf-row'}>
      <button
        className={active ? 'wf-item active' : 'wf-item'}
        data-testid={`wf-item-${idOf(summary)}`}
        aria-current={active ? 'true' : undefined}
        onClick={async () => {
          if (!(await mayOpenWorkflow(idOf(summary)))) return
          void open(idOf(summary))
          makeWayForEditor()
        }}
      >
        <span className="wf-item-name" title={visibleText(idOf(summary))}>
          <span className="muted">
            <SafeText text={summary.workspace} />:
          </span>
          <SafeText text={summary.name} />
        </span>
        <span className="wf-item-meta">
          {othersOwner !== null && (
            <>
              <span className="wf-item-owner" title={`owner: ${visibleText(othersOwner)}`}>
                by <UserName name={othersOwner} brief />
              </span>
              {' · '}
            </>
          )}
          {summary.versions} {summary.versions === 1 ? 'version' : 'versions'} · {formatTime(summary.updatedAt)}
        </span>
        {aliases.length > 0 && (
          <span className="wf-item-aliases">
            {aliases.map((a) => (
              <span key={a} className="wf-alias" title={`${visibleText(a)} → ${summary.aliases[a].slice(0, 8)}`}>
                <SafeText text={a} />
              </span>
            ))}
          </span>
        )}
      </button>
      {mayDelete && (
        <button className="icon wf-item-delete" aria-label={`delete workflow ${idOf(summary)}`} title={`Delete ${idOf(summary)} with its versions and aliases`} onClick={() => setDeleting(true)}>
          ×
        </button>
      )}
      {deleting && <DeleteWorkflowDialog summary={summary} onClose={() => setDeleting(false)} />}
    </li>
  )
}

/**
 * Where the workflow list is folded away: a button in the editor's toolbar that names the list and
 * how many workflows it holds ("Workflows (7)", "(200+)" when the list was cut) and brings it back.
 * A thin › strip alone left a new user at 1024 px looking at an unsaved default:myWorkflow, not
 * at their seven saved ones.
 */
export function ShowListButton({ onShow }: { onShow: () => void }) {
  const count = useWorkflows((s) => (s.list.answered ? s.summaries.length : null))
  const more = count !== null && count >= WORKFLOW_LIST_PAGE.maxLimit ? '+' : ''
  return (
    <button type="button" className="wf-show-list" onClick={onShow} title="Show the workflow list" aria-expanded={false}>
      <span aria-hidden="true">☰ </span>
      {count === null ? 'Workflows' : `Workflows (${count}${more})`}
    </button>
  )
}

/** Stored descriptors (workspace:name) with their version counts and aliases. */
export function WorkflowList() {
  const summaries = useWorkflows((s) => s.summaries)
  const list = useWorkflows((s) => s.list)
  const current = useWorkflows((s) => (s.detail ? `${s.detail.workspace}:${s.detail.name}` : null))
  const newWorkflow = useWorkflows((s) => s.newWorkflow)
  return (
    <nav className="wf-list" aria-label="workflows">
      <div className="wf-list-head">
        <h1>Workflows</h1>
        <button className="primary" onClick={() =>
            void mayStartNewWorkflow().then((ok) => {
              if (!ok) return
              newWorkflow()
              makeWayForEditor()
            })
          }>
          New workflow
        </button>
      </div>
      <ul>
        {summaries.map((w) => (
          <WorkflowItem key={idOf(w)} summary={w} active={idOf(w) === current} />
        ))}
      </ul>
      <ListCutNote items={summaries} limit={WORKFLOW_LIST_PAGE.maxLimit} what="workflows" newest="most recently stored" className="muted wf-list-empty" testId="wf-list-cut" />
      <ListStatus load={list} rows={summaries.length} what="workflows" className="muted wf-list-empty" retry={() => void useWorkflows.getState().refreshList()} empty="No workflows yet. Write one in the editor and save it." />
    </nav>
  )
}
