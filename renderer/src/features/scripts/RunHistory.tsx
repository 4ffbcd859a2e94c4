import { useScripts } from '../../stores/scripts'
import { StatusBadge } from '../jobs/StatusBadge'
import { LANGUAGE_LABELS } from './languages'
import { DeletedBadge } from './RunPanel'

/** This session's runs, newest first: a click shows that run's status, log and results again. */
export function RunHistory() {
  const history = useScripts((s) => s.history)
  const shownId = useScripts((s) => s.jobId)
  const open = useScripts((s) => s.open)
  const restore = useScripts((s) => s.restore)
  return (
    <section className="sc-side-section" aria-label="run history">
      <h3>Runs this session</h3>
      {history.length === 0 && <p className="muted sc-side-note">Nothing run yet.</p>}
      <ul className="sc-history">
        {history.map((h) => (
          <li key={h.jobId} className={h.jobId === shownId ? 'sc-history-item active' : 'sc-history-item'} data-job-id={h.jobId}>
            <button className="sc-history-open" onClick={() => void open(h.jobId)} aria-label={`show run ${h.jobId}: ${h.firstLine}`} title={h.code}>
              <span className="sc-history-head">
                <span className="sc-history-id">#{h.jobId}</span>
                <span className={`sc-lang sc-lang-${h.language}`}>{LANGUAGE_LABELS[h.language]}</span>
                {h.deleted ? <DeletedBadge /> : <StatusBadge status={h.status} />}
              </span>
              <code className="sc-history-line">{h.firstLine || '(empty)'}</code>
            </button>
            <button className="link sc-history-edit" onClick={() => restore(h)} title="Put this script back into the editor" aria-label={`edit the script of run ${h.jobId}`}>
              Edit
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
