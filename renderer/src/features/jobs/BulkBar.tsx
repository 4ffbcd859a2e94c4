import { useState } from 'react'
import { isTerminalJob } from '../../../../shared/status'
import { useJobs, type BulkAction } from '../../stores/jobs'
import { useFadeOut } from '../shell/use-fade-out'
import { ConfirmDialog } from './ConfirmDialog'

const VERBS: Record<BulkAction, { label: string; past: string; danger?: boolean; note: string }> = {
  cancel: { label: 'Cancel', past: 'cancelled', note: 'Their running tasks are stopped; finished jobs stay as they are.' },
  rerun: { label: 'Rerun', past: 'rerun', note: 'Each runs again as a new job, submitted by you.' },
  delete: { label: 'Delete', past: 'deleted', danger: true, note: 'Their tasks, logs and results go too. This cannot be undone.' },
}

const jobs = (n: number): string => `${n} ${n === 1 ? 'job' : 'jobs'}`

/** The question before a bulk action, saying how many jobs it touches (and which are left out). */
export function BulkConfirm({ action, ids, onClose }: { action: BulkAction; ids: number[]; onClose: () => void }) {
  const runBulk = useJobs((s) => s.runBulk)
  const items = useJobs((s) => s.items)
  const verb = VERBS[action]
  // cancel and delete only do something to unfinished, respectively finished, jobs
  const skipped = ids.filter((id) => {
    const job = items.find((j) => j.id === id)
    if (!job) return false
    return action === 'cancel' ? isTerminalJob(job.status) : action === 'delete' ? !isTerminalJob(job.status) : false
  })
  const targets = ids.filter((id) => !skipped.includes(id))
  return (
    <ConfirmDialog
      title={`${verb.label} ${jobs(targets.length)}?`}
      confirm={`${verb.label} ${jobs(targets.length)}`}
      danger={verb.danger}
      onClose={onClose}
      onConfirm={() => {
        onClose()
        void runBulk(action, targets)
      }}
    >
      <p className="confirm-ids">{targets.map((id) => `#${id}`).join(', ') || 'None of the checked jobs.'}</p>
      <p className="muted">{verb.note}</p>
      {skipped.length > 0 && (
        <p className="warn-text">
          {jobs(skipped.length)} left out ({skipped.map((id) => `#${id}`).join(', ')}): {action === 'cancel' ? 'already finished' : 'still running; cancel them first'}.
        </p>
      )}
    </ConfirmDialog>
  )
}

/** Actions on the checked jobs, as in n8n's executions list; then what was done and what was refused. */
export function BulkBar() {
  const checked = useJobs((s) => s.checked)
  const busy = useJobs((s) => s.busy)
  const outcome = useJobs((s) => s.bulk)
  const { checkPage, dismissBulk } = useJobs.getState()
  const [asking, setAsking] = useState<BulkAction | null>(null)
  // what was done fades after a few seconds; what was refused stays until dismissed
  useFadeOut(outcome, dismissBulk, (outcome?.failed.length ?? 0) > 0)
  if (checked.size === 0 && !outcome && !busy) return null
  return (
    <div className="bulk-bar" role="region" aria-label="bulk actions">
      {checked.size > 0 && (
        <>
          <strong data-testid="checked-count">{checked.size} checked</strong>
          {(Object.keys(VERBS) as BulkAction[]).map((a) => (
            <button key={a} className={VERBS[a].danger ? 'danger' : undefined} disabled={busy !== null} onClick={() => setAsking(a)}>
              {VERBS[a].label}…
            </button>
          ))}
          <button className="link" onClick={() => checkPage(false)}>
            Uncheck all
          </button>
        </>
      )}
      {busy && <span className="muted">Working…</span>}
      {outcome && !busy && (
        <span className={outcome.failed.length ? 'warn-text' : 'ok-text notice-fading'} role="status" data-testid="bulk-outcome">
          {jobs(outcome.done)} {VERBS[outcome.action].past}
          {outcome.failed.length > 0 && `; ${outcome.failed.length} refused: ${outcome.failed.map((f) => `#${f.id} ${f.message}`).join('; ')}`}
          <button className="icon" aria-label="dismiss" onClick={dismissBulk}>
            ×
          </button>
        </span>
      )}
      {asking && <BulkConfirm action={asking} ids={[...checked]} onClose={() => setAsking(null)} />}
    </div>
  )
}
