import { useEffect } from 'react'
import type { JobStatus } from '../../../../shared/status'
import { useJobResults } from '../../stores/job-results'
import { ResultSetView } from '../scripts/ResultSetView'
import { SafeText } from '../shell/SafeText'
import '../scripts/scripts.css' // the result table's look (.sc-table, .sc-tabs), shared with the Scripts page
import { formatCount } from '../../../../shared/number-format'
import { resultName } from '../scripts/result-rows'

/**
 * A result set's name on the Jobs page: its component (task), else its place. A script job's sets are
 * all its one task's (`main`), so `byPlace` names them by place, as the Scripts page does ("Result 1").
 */
const setName = (task: string | null, position: number, byPlace: boolean): string => (byPlace ? null : task) ?? resultName(position)

/**
 * The result sets of a graph workflow job, one per component that returns rows, each named by its
 * component (an algorithm job's one set is named by its task, `algorithm`), or of a script job, one per
 * statement that returns rows plus its output, named by place (`byPlace`): paged, sorted and filtered over
 * the whole set and exported as CSV or Excel, as the Scripts page shows a script's (the same
 * ResultSetView: one page of rows in the DOM). Loaded when shown and again as the job's status or task
 * count changes, never with the job detail's poll.
 */
export function JobResults({ jobId, status, tasksDone, byPlace = false }: { jobId: number; status: JobStatus; tasksDone: number; byPlace?: boolean }) {
  const shownJob = useJobResults((s) => s.jobId)
  const results = useJobResults((s) => s.results)
  const view = useJobResults((s) => s.view)
  const error = useJobResults((s) => s.error)
  const showView = useJobResults((s) => s.showView)
  useEffect(() => {
    void useJobResults.getState().open(jobId)
  }, [jobId, status, tasksDone])
  if (shownJob !== jobId || (results.length === 0 && !error)) return null
  const shown = results.find((r) => r.index === view)
  return (
    <section className="job-results" aria-label="results" data-testid="job-results">
      <h3>Results</h3>
      {error && <p className="error-text">{error}</p>}
      <div className="sc-tabs" role="tablist" aria-label="result sets">
        {results.map((r, i) => (
          <button key={r.index} role="tab" aria-selected={view === r.index} className={view === r.index ? 'sc-tab active' : 'sc-tab'} onClick={() => void showView(r.index)} data-testid={`job-result-tab-${r.task ?? r.index}`}>
            <SafeText text={setName(r.task, i + 1, byPlace)} /> · {formatCount(r.rowCount)} {r.kind === 'text' ? 'line' : 'row'}
            {r.rowCount === 1 ? '' : 's'}
          </button>
        ))}
      </div>
      {shown && (
        <div className="job-result-set" role="tabpanel">
          {/* by place: ResultSetView's own names, so its files are named as the Scripts page names them (job-7-result-1.csv) */}
          <ResultSetView index={shown.index} source={useJobResults} name={byPlace ? undefined : setName(shown.task, results.indexOf(shown) + 1, false)} />
        </div>
      )}
    </section>
  )
}
