import { useEffect, useRef, useState } from 'react'
import { mayRunLanguage } from '../../../../shared/model'
import { useJobs } from '../../stores/jobs'
import { useSession } from '../../stores/session'
import { BulkBar } from './BulkBar'
import { JobDetailPanel } from './JobDetail'
import { JobFilters, resetDateChoice, SubflowView } from './JobFilters'
import { TOP_LEVEL } from '../../stores/jobs'
import { closeDetail, JobTable } from './JobTable'
import { NewJobForm } from './NewJobForm'

/** Opens a job on the page made for its kind (`graph-workflow`: the Graph page's workflow canvas). */
export type OpenIn = (kind: 'script' | 'workflow' | 'import' | 'graph-workflow', jobId: number) => void

/** Whether a key press belongs to a field being typed in (page shortcuts leave it alone). */
const typing = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))

export function JobsPage({ onOpenIn }: { onOpenIn?: OpenIn }) {
  const refresh = useJobs((s) => s.refresh)
  const setShown = useJobs((s) => s.setShown)
  const error = useJobs((s) => s.error)
  const jobOpen = useJobs((s) => s.selectedId != null)
  const [creating, setCreating] = useState(false)
  const search = useRef<HTMLInputElement>(null)
  // shell jobs need the scripts right: without it the button is not offered (the server refuses anyway)
  const mayRunShell = useSession((s) => (s.user ? mayRunLanguage(s.user, 'shell') : false))
  useEffect(() => {
    setShown(true)
    void refresh()
    return () => setShown(false)
  }, [refresh, setShown])
  // "/" searches, Esc closes the detail (as in n8n's and GitHub's lists)
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || document.querySelector('dialog[open]')) return
      if (e.key === '/' && !typing(e.target)) {
        e.preventDefault()
        search.current?.focus()
        search.current?.select()
      } else if (e.key === 'Escape' && useJobs.getState().selectedId != null && !(typing(e.target) && (e.target as HTMLInputElement).value)) {
        void closeDetail() // and back to the row it came from
      }
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [])
  const clearFilters = () => {
    resetDateChoice()
    useJobs.getState().setFilter({ status: undefined, type: undefined, text: undefined, from: undefined, to: undefined, ...(typeof useJobs.getState().filter.parent === 'number' ? { parent: TOP_LEVEL } : {}) })
  }
  return (
    <div className={jobOpen ? 'jobs-page job-open' : 'jobs-page'}>
      <section className="jobs-main">
        <div className="toolbar">
          <h1>Jobs</h1>
          <JobFilters searchRef={search} />
          {mayRunShell && (
            <button className="primary" onClick={() => setCreating(true)}>
              New shell job
            </button>
          )}
        </div>
        {creating && <NewJobForm onClose={() => setCreating(false)} />}
        {error && <p className="error-text">{error}</p>}
        <BulkBar />
        <SubflowView />
        <JobTable onClearFilters={clearFilters} />
      </section>
      <JobDetailPanel onOpenIn={onOpenIn} />
    </div>
  )
}
