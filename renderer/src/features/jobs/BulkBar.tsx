import { useState } from 'react'
import type { JobSummary } from '../../../../shared/model'
import { isTerminalJob } from '../../../../shared/status'
import { useJobs, type BulkAction } from '../../stores/jobs'
import { useSession } from '../../stores/session'
import { SafeText } from '../shell/SafeText'
import { useFadeOut } from '../shell/use-fade-out'
import { ConfirmDialog } from './ConfirmDialog'

const VERBS: Record<BulkAction, { label: string; past: string; danger?: boolean; note: string }> = {
  cancel: { label: 'Cancel', past: 'cancelled', note: 'Their running tasks are stopped; finished jobs stay as they are.' },
  rerun: { label: 'Rerun', past: 'rerun', note: 'Each of your jobs runs again as a new job, submitted by you.' },
  delete: { label: 'Delete', past: 'deleted', danger: true, note: 'Their tasks, logs and results go too. This cannot be undone.' },
}

const jobs = (n: number): string => `${n} ${n === 1 ? 'job' : 'jobs'}`

/** A checked job a bulk rerun leaves out: another user's (or one no longer listed, whose submitter is unknown here). */
export interface OthersJob {
  id: number
  name: string | null
  submitter: string | null
}

/**
 * What a bulk action does to the checked `ids`, read off the listed `items`: `targets` it acts on,
 * `skipped` the ids it cannot act on (cancel: finished; delete: unfinished), and for rerun `others`:
 * every job not submitted by `me`. A rerun runs a job's code as the one who asks, with their rights
 * (jobs.rerun), so another user's job is rerun only one at a time, through RerunConfirm, which shows
 * its code first; a job not in `items`, or `me` unknown, counts as another's.
 */
export function bulkPlan(action: BulkAction, ids: number[], items: JobSummary[], me: string | undefined): { targets: number[]; skipped: number[]; others: OthersJob[] } {
  const byId = new Map(items.map((j) => [j.id, j]))
  if (action === 'rerun') {
    const mine = (id: number) => me !== undefined && byId.get(id)?.submitter === me
    const others = ids.filter((id) => !mine(id)).map((id) => ({ id, name: byId.get(id)?.name ?? null, submitter: byId.get(id)?.submitter ?? null }))
    return { targets: ids.filter(mine), skipped: [], others }
  }
  // cancel and delete only do something to unfinished, respectively finished, jobs
  const skipped = ids.filter((id) => {
    const job = byId.get(id)
    if (!job) return false
    return action === 'cancel' ? isTerminalJob(job.status) : !isTerminalJob(job.status)
  })
  return { targets: ids.filter((id) => !skipped.includes(id)), skipped, others: [] }
}

/** The other users' jobs a bulk rerun left out, each a link to its page, where its own Rerun asks first. */
function OthersLeftOut({ others, onOpen }: { others: OthersJob[]; onOpen: (id: number) => void }) {
  return (
    <div className="warn-text" data-testid="bulk-rerun-others">
      <p>
        {jobs(others.length)} of other users left out. A rerun runs a job’s code as you, with your rights: rerun {others.length === 1 ? 'it' : 'each'} on
        its own page, which shows its code first.
      </p>
      <ul className="bulk-others">
        {others.map((o) => (
          <li key={o.id}>
            <button type="button" className="link" onClick={() => onOpen(o.id)} title={`Open job #${o.id} to read its code`}>
              #{o.id}
            </button>{' '}
            {o.name !== null && <SafeText text={o.name} />}
            {o.submitter !== null ? (
              <>
                {' '}
                <span className="muted">submitted by</span> <strong><SafeText text={o.submitter} /></strong>
              </>
            ) : (
              <span className="muted"> (not on this page: whose it is is not known here)</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  )
}

/**
 * The question before a bulk action on the checked `ids`, saying how many jobs it touches and which
 * are left out, and why (bulkPlan: `items` the listed jobs, `me` the signed-in user's name).
 */
export function BulkConfirm({ action, ids, items, me, onClose }: { action: BulkAction; ids: number[]; items: JobSummary[]; me: string | undefined; onClose: () => void }) {
  const runBulk = useJobs((s) => s.runBulk)
  const verb = VERBS[action]
  const { targets, skipped, others } = bulkPlan(action, ids, items, me)
  return (
    <ConfirmDialog
      title={`${verb.label} ${jobs(targets.length)}?`}
      confirm={`${verb.label} ${jobs(targets.length)}`}
      danger={verb.danger}
      disabled={targets.length === 0}
      onClose={onClose}
      onConfirm={() => {
        onClose()
        void runBulk(action, targets)
      }}
    >
      <p className="confirm-ids">{targets.map((id) => `#${id}`).join(', ') || 'None of the checked jobs.'}</p>
      {targets.length > 0 && <p className="muted">{verb.note}</p>}
      {skipped.length > 0 && (
        <p className="warn-text">
          {jobs(skipped.length)} left out ({skipped.map((id) => `#${id}`).join(', ')}): {action === 'cancel' ? 'already finished' : `still running; cancel ${skipped.length === 1 ? 'it' : 'them'} first`}.
        </p>
      )}
      {others.length > 0 && (
        <OthersLeftOut
          others={others}
          onOpen={(id) => {
            onClose()
            void useJobs.getState().select(id)
          }}
        />
      )}
    </ConfirmDialog>
  )
}

/** Actions on the checked jobs, as in n8n's executions list; then what was done and what was refused. */
export function BulkBar() {
  const checked = useJobs((s) => s.checked)
  const busy = useJobs((s) => s.busy)
  const outcome = useJobs((s) => s.bulk)
  const items = useJobs((s) => s.items)
  const me = useSession((s) => s.user?.username)
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
          {/* each refusal is a sentence (the store's words): "; 1 refused. #12: Only its submitter … may cancel it." */}
          {outcome.failed.length > 0 && `; ${outcome.failed.length} refused. ${outcome.failed.map((f) => `#${f.id}: ${f.message}`).join(' ')}`}
          <button className="icon" aria-label="dismiss" onClick={dismissBulk}>
            ×
          </button>
        </span>
      )}
      {asking && <BulkConfirm action={asking} ids={[...checked]} items={items} me={me} onClose={() => setAsking(null)} />}
    </div>
  )
}
