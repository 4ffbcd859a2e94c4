import { useEffect, useState } from 'react'
import { mayRunLanguage } from '../../../../shared/model'
import { useJobs } from '../../stores/jobs'
import { useSession } from '../../stores/session'
import { JobDetailPanel } from './JobDetail'
import { JobFilters, JobTable } from './JobTable'
import { NewJobForm } from './NewJobForm'

export type OpenIn = (kind: 'script' | 'workflow' | 'import', jobId: number) => void

export function JobsPage({ onOpenIn }: { onOpenIn?: OpenIn }) {
  const refresh = useJobs((s) => s.refresh)
  const setShown = useJobs((s) => s.setShown)
  const error = useJobs((s) => s.error)
  const [creating, setCreating] = useState(false)
  // shell jobs need the scripts right: without it the button is not offered (the server refuses anyway)
  const mayRunShell = useSession((s) => (s.user ? mayRunLanguage(s.user, 'shell') : false))
  useEffect(() => {
    setShown(true)
    void refresh()
    return () => setShown(false)
  }, [refresh, setShown])
  return (
    <div className="jobs-page">
      <section className="jobs-main">
        <div className="toolbar">
          <h1>Jobs</h1>
          <JobFilters />
          {mayRunShell && (
            <button className="primary" onClick={() => setCreating(true)}>
              New shell job
            </button>
          )}
        </div>
        {creating && <NewJobForm onClose={() => setCreating(false)} />}
        {error && <p className="error-text">{error}</p>}
        <JobTable />
      </section>
      <JobDetailPanel onOpenIn={onOpenIn} />
    </div>
  )
}
