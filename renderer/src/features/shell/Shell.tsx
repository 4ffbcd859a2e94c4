import { lazy, Suspense, useEffect, useState } from 'react'
import { apiDocsUrl, onEvent, send, transportKind } from '../../api/client'
import { useConnection } from '../../stores/connection'
import { useJobs } from '../../stores/jobs'
import { useScripts } from '../../stores/scripts'
import { useWorkflows } from '../../stores/workflows'
import { useSession } from '../../stores/session'
import { useImports } from '../../stores/imports'
import { useLayout } from '../../stores/layout'
import { formatRoute, PAGES, useRoute, type PageId, type Route } from '../../stores/route'
import { GraphPage } from '../graph/GraphPage'
import { useExplorer } from '../graph/explorer-store'
import { ImportsPage } from '../imports/ImportsPage'
import { JobsPage } from '../jobs/JobsPage'
import { SettingsPage } from '../settings/SettingsPage'
import { hasDefaultPassword } from '../login/PasswordPrompt'
import '../workflows/draft-guard' // the Workflows editor's unsaved edits are asked about from the start
import { guardUnload, LeavePrompt, mayLeave } from './leave-guard'
import { PageErrorBoundary } from './PageErrorBoundary'
import { PageIcon, SignOutIcon } from './icons'
import { ThemeToggle, useAppliedTheme } from './theme'
import { startJobNotifier } from './job-notifier'
import { SafeText, visibleText } from './SafeText'
import { startUrlSync } from './url-sync'

// The workflow editor and graph libraries are large: loaded when the page is first opened.
const WorkflowsPage = lazy(() => import('../workflows/WorkflowsPage').then((m) => ({ default: m.WorkflowsPage })))
// The script editor (CodeMirror) likewise.
const ScriptsPage = lazy(() => import('../scripts/ScriptsPage').then((m) => ({ default: m.ScriptsPage })))

/** Swagger UI's address (null while unknown, or when no server runs): the sidebar links to it. */
function useApiDocsUrl(): string | null {
  const [url, setUrl] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    apiDocsUrl().then(
      (u) => live && setUrl(u),
      () => live && setUrl(null), // the desktop's main did not answer: no link rather than a dead one
    )
    return () => {
      live = false
    }
  }, [])
  return url
}

export function Shell() {
  const page = useRoute((s) => s.page)
  const showPage = useRoute((s) => s.setPage)
  /** Goes to `page` (then does `then`), once unsaved edits on the way are saved or dropped (leave-guard). */
  const setPage = (to: PageId, then?: () => void, route: Route = { page: to }) =>
    void mayLeave(route).then((ok) => {
      if (!ok) return
      showPage(to)
      then?.()
    })
  useEffect(() => startUrlSync(), [])
  useEffect(() => guardUnload(), [])
  useAppliedTheme()
  const collapsed = useLayout((s) => s.sidebarCollapsed)
  const toggleSidebar = useLayout((s) => s.toggleSidebar)
  const user = useSession((s) => s.user)
  const logout = useSession((s) => s.logout)
  const notice = useSession((s) => s.notice)
  const setNotice = useSession((s) => s.setNotice)
  const apply = useJobs((s) => s.apply)
  useEffect(() => onEvent(apply), [apply])
  // the desktop app notifies from its main process; a browser tab does it here
  useEffect(
    () =>
      transportKind() === 'http'
        ? startJobNotifier((id) =>
            void mayLeave({ page: 'jobs', job: id }).then((ok) => {
              if (!ok) return
              useRoute.getState().setPage('jobs')
              void useJobs.getState().select(id)
            }),
          )
        : undefined,
    [],
  )
  const docsUrl = useApiDocsUrl()
  const lostSince = useConnection((s) => s.lostSince)
  const epoch = useConnection((s) => s.epoch)
  useEffect(() => {
    if (epoch > 0) void useJobs.getState().resync() // the Jobs page's list, its shown job and log
  }, [epoch])
  const openJob = (id: number) => setPage('jobs', () => void useJobs.getState().select(id), { page: 'jobs', job: id })
  // From the Jobs page to the page made for the job's kind, showing that job.
  const openIn = (kind: 'script' | 'workflow' | 'import' | 'graph-workflow', id: number) => {
    if (kind === 'graph-workflow') {
      const showWhy = () => {
        showPage('graph')
        useExplorer.getState().setTab('workflows')
        // the canvas's store comes with its lazily loaded tab; it shows why the job does not open
        void import('../graph-workflows/store').then((m) => m.useGraphWorkflows.getState().openJob(id))
      }
      // one step in the history: the URL of the job's workflow at its version, with the job (url-sync
      // opens it); a deleted workflow has no canvas (its URL would open nothing): the list says it was deleted
      send('graphWorkflows.job', { id }).then(
        (view) => (view.workflowDeleted ? showWhy() : void (location.hash = formatRoute({ page: 'graph', graphTab: 'workflows', graphWorkflow: view.workflowId, version: view.version, job: id }))),
        showWhy,
      )
    } else if (kind === 'import') {
      showPage('imports')
      void useImports.getState().openJob(id)
    } else if (kind === 'script') {
      showPage('scripts')
      void useScripts.getState().open(id, { showCode: true })
    } else {
      // one step in the history: the URL of the run's own workflow at its version, with the run
      // (url-sync opens both); loadExecution opens the run's workflow too, should this fail
      const showHere = () => {
        showPage('workflows')
        void useWorkflows.getState().loadExecution(id)
      }
      send('workflows.execution', { id }).then((view) => {
        const target = formatRoute({ page: 'workflows', descriptor: view.descriptorId, execution: id })
        if (location.hash === target) showHere()
        else location.hash = target
      }, showHere)
    }
  }
  return (
    <div className={collapsed ? 'shell collapsed' : 'shell'}>
      <nav className="sidebar" aria-label="main">
        <div className="brand" title="JobDesk">
          {collapsed ? 'JD' : 'JobDesk'}
        </div>
        {PAGES.map((p) => (
          <button
            key={p.id}
            className={p.id === page ? 'nav active' : 'nav'}
            aria-current={p.id === page ? 'page' : undefined}
            aria-label={p.label}
            title={collapsed ? p.label : undefined}
            onClick={() => p.id !== page && setPage(p.id)}
          >
            <PageIcon page={p.id} />
            <span className="nav-label">{p.label}</span>
          </button>
        ))}
        <div className="sidebar-foot">
          {docsUrl && (
            <a className="link sidebar-docs" href={docsUrl} target="_blank" rel="noreferrer" title={`The REST API's reference (Swagger UI), ${transportKind() === 'ipc' ? 'in your web browser' : 'in a new tab'}`} aria-label="API docs">
              {collapsed ? '{ }' : 'API docs ↗'}
            </a>
          )}
          <ThemeToggle compact={collapsed} />
          <span className="sidebar-user" title={user ? visibleText(user.username) : undefined}>
            <SafeText text={user?.username} />
          </span>
          {transportKind() === 'http' && (
            <button className="link" onClick={() => void logout()} aria-label="Sign out" title="Sign out">
              {collapsed ? <SignOutIcon /> : 'Sign out'}
            </button>
          )}
          <button className="sidebar-toggle" onClick={toggleSidebar} aria-label={collapsed ? 'expand the sidebar' : 'collapse the sidebar'} title={collapsed ? 'Expand the sidebar' : 'Collapse the sidebar'}>
            {collapsed ? '»' : '«'}
          </button>
        </div>
      </nav>
      {/* Keyed on reconnects: each page loads what it shows when it mounts, so it reloads then. */}
      <main key={epoch}>
        {lostSince !== null && (
          <div className="banner banner-offline" role="status" data-testid="reconnecting">
            Reconnecting to JobDesk… the server has not answered since {new Date(lostSince).toLocaleTimeString(undefined, { hour12: false })}.
            What this page shows may be out of date until it is back.
          </div>
        )}
        {notice && (
          <div className="banner banner-ok" role="status" data-testid="app-notice">
            {notice}{' '}
            <button className="link" onClick={() => setNotice(null)}>
              Dismiss
            </button>
          </div>
        )}
        {user?.mustChangePassword && page !== 'settings' && (
          <div className="banner" role="alert">
            {hasDefaultPassword(user) ? 'You are using the default password.' : 'You are using the password an admin set for you.'}{' '}
            <button className="link" onClick={() => setPage('settings')}>
              Change it in Settings
            </button>
          </div>
        )}
        {/* a page that fails to draw says so, with a way back, instead of blanking the window (#9 gesreport) */}
        <PageErrorBoundary key={page} page={PAGES.find((p) => p.id === page)?.label ?? page} onBack={page === 'jobs' ? undefined : () => setPage('jobs')}>
          {page === 'jobs' && <JobsPage onOpenIn={openIn} />}
          {page === 'scripts' && (
            <Suspense fallback={<div className="loading">Loading the script editor…</div>}>
              <ScriptsPage onOpenJob={openJob} />
            </Suspense>
          )}
          {page === 'workflows' && (
            <Suspense fallback={<div className="loading">Loading the workflow editor…</div>}>
              <WorkflowsPage onOpenJob={openJob} />
            </Suspense>
          )}
          {page === 'imports' && <ImportsPage onOpenGraphs={() => setPage('graph')} onOpenJob={openJob} />}
          {page === 'graph' && (
            <GraphPage
              onImport={(graph) => {
                useImports.getState().setGraph(graph)
                setPage('imports')
              }}
            />
          )}
          {page === 'settings' && <SettingsPage />}
        </PageErrorBoundary>
      </main>
      <LeavePrompt />
    </div>
  )
}
