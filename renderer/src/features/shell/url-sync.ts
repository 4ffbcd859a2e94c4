import { useImports } from '../../stores/imports'
import { TOP_LEVEL, useJobs } from '../../stores/jobs'
import { formatJobsView, formatRoute, parseRoute, useRoute, type JobsView, type Route } from '../../stores/route'
import { useScripts } from '../../stores/scripts'
import { useWorkflows } from '../../stores/workflows'
import { useExplorer } from '../graph/explorer-store'
import { mayLeave, unsavedWork } from './leave-guard'

/** The graph workflow canvas's store comes with its lazily loaded tab (it brings dagre): here once loaded. */
type CanvasStore = (typeof import('../graph-workflows/store'))['useGraphWorkflows']
let canvas: CanvasStore | null = null
const canvasLoaded: Array<(store: CanvasStore) => void> = []
async function loadCanvas(): Promise<CanvasStore> {
  if (!canvas) {
    canvas = (await import('../graph-workflows/store')).useGraphWorkflows
    canvasLoaded.splice(0).forEach((f) => f(canvas!))
  }
  return canvas
}

/** The Graph page's part of the route: its tab, and on the Workflows tab the canvas's workflow, version and job. */
function graphRoute(): Route {
  const graphTab = useExplorer.getState().tab
  if (graphTab !== 'workflows' || !canvas) return { page: 'graph', graphTab }
  const { view, detail, job } = canvas.getState()
  if (view === 'list') return { page: 'graph', graphTab }
  if (!detail) return { page: 'graph', graphTab, graphWorkflow: 'new' }
  return {
    page: 'graph',
    graphTab,
    graphWorkflow: detail.id,
    ...(detail.version !== detail.latestVersion ? { version: detail.version } : {}),
    ...(job ? { job: job.job.id } : {}),
  }
}

/** Makes the canvas show a `#/graph/workflows…` route (the user was asked about unsaved edits before: startUrlSync). */
async function applyCanvasRoute(route: Route): Promise<void> {
  const store = await loadCanvas()
  const s = store.getState()
  if (route.graphWorkflow === undefined) {
    if (s.view === 'editor') s.backToList()
    return
  }
  if (route.graphWorkflow === 'new') {
    if (s.view !== 'editor' || s.detail) s.newWorkflow()
    return
  }
  const shown = s.view === 'editor' && s.detail?.id === route.graphWorkflow && s.detail.version === (route.version ?? s.detail.latestVersion)
  if (!shown) await s.open(route.graphWorkflow, route.version)
  const now = store.getState()
  if (now.detail?.id !== route.graphWorkflow) {
    // it could not be opened: the list says why (for a job's URL, that its workflow was deleted)
    if (route.job) await now.openJob(route.job)
    return
  }
  if (route.job && route.job !== now.job?.job.id) {
    await now.loadJob(route.job)
    if (store.getState().job?.workflowId !== route.graphWorkflow) store.getState().hideJob() // a job of another workflow
  } else if (!route.job && now.job) now.hideJob()
}

/** The Jobs list's view in the URL's terms, from its filter. */
function jobsView(): JobsView {
  const { text, status, type, sort, order, parent } = useJobs.getState().filter
  return { text, status, type, sort, order, parent: parent === TOP_LEVEL ? undefined : parent }
}

/** The route of what the stores show now. */
export function currentRoute(): Route {
  const page = useRoute.getState().page
  if (page === 'graph') return graphRoute()
  if (page === 'jobs') return { page, job: useJobs.getState().selectedId ?? undefined, jobsView: jobsView() }
  if (page === 'scripts') return { page, job: useScripts.getState().jobId ?? undefined }
  if (page === 'imports') return { page, job: useImports.getState().run?.jobId ?? undefined }
  if (page === 'workflows') {
    const { detail, execution, mode } = useWorkflows.getState()
    return { page, descriptor: detail?.descriptorId, execution: mode === 'run' ? execution?.jobId : undefined }
  }
  if (page === 'settings') return { page, settingsSection: useRoute.getState().settingsSection ?? undefined }
  return { page }
}

/** Makes the stores show `route`: the page, then its job, or its descriptor and execution. */
async function applyRoute(route: Route): Promise<void> {
  useRoute.getState().setPage(route.page)
  if (route.page === 'jobs') {
    // the list's view first (the submit-time filter is not in the URL: it stays as chosen)
    const view = route.jobsView ?? {}
    if (formatJobsView(view) !== formatJobsView(jobsView())) useJobs.getState().setFilter({ text: view.text, status: view.status, type: view.type, sort: view.sort, order: view.order, parent: view.parent ?? TOP_LEVEL })
    if (route.job !== (useJobs.getState().selectedId ?? undefined)) await useJobs.getState().select(route.job ?? null)
  } else if (route.page === 'scripts' && route.job && route.job !== useScripts.getState().jobId) {
    // a run of this session (a reload, back and forward) shows under the editor it came from; any
    // other job (a link to it) with its own code in the editor's place
    const ranHere = useScripts.getState().history.some((h) => h.jobId === route.job)
    await useScripts.getState().open(route.job, { showCode: !ranHere })
  } else if (route.page === 'imports' && route.job && route.job !== useImports.getState().run?.jobId) {
    await useImports.getState().openJob(route.job)
  } else if (route.page === 'workflows') {
    const wf = useWorkflows.getState()
    if (route.descriptor !== wf.detail?.descriptorId) {
      if (route.descriptor) await wf.open(route.descriptor)
      else wf.newWorkflow({ resume: true }) // back to the new workflow: with its kept draft
    }
    const shown = wf.mode === 'run' ? wf.execution?.jobId : undefined
    if (route.execution && route.execution !== shown) await useWorkflows.getState().loadExecution(route.execution)
    else if (!route.execution && shown) useWorkflows.getState().setMode('design')
  } else if (route.page === 'settings') {
    useRoute.getState().setSettingsSection(route.settingsSection ?? null)
  } else if (route.page === 'graph' && route.graphTab) {
    useExplorer.getState().setTab(route.graphTab)
    if (route.graphTab === 'workflows') await applyCanvasRoute(route)
  }
}

/** Two routes are the same Jobs view but for its search text (so a change is typing, not a new view). */
const onlySearchDiffers = (a: Route, b: Route): boolean =>
  a.page === 'jobs' && b.page === 'jobs' && a.job === b.job && a.jobsView?.text !== b.jobsView?.text && formatJobsView({ ...a.jobsView, text: undefined }) === formatJobsView({ ...b.jobsView, text: undefined })

/** Where an entry lies in the session's history, stamped on the entries this page makes (history.state). */
const entryIndex = (state: unknown): number | undefined => {
  const idx = (state as { jobdeskIndex?: unknown } | null)?.jobdeskIndex
  return typeof idx === 'number' ? idx : undefined
}
const stamped = (idx: number): object => ({ ...(typeof history.state === 'object' ? history.state : {}), jobdeskIndex: idx })

/**
 * Keeps the URL's hash and the stores in step, both ways, as Airflow and n8n keep their views in
 * the URL: a reload or a shared link opens the same page, job, workflow and execution; a change of
 * view is a history entry, so back and forward walk through views. A move through the history away
 * from unsaved edits is undone while the user is asked (history.go back to the entry left, as
 * React Router's blocker does), so a cancelled Back leaves the history as it was: one more Back
 * asks again and, answered, goes where the first would have. Returns the stop function.
 */
export function startUrlSync(): () => void {
  let written = location.hash
  /** The index of the entry shown (history.state's jobdeskIndex; entries from links and typed URLs come unstamped, one on). */
  let current = entryIndex(history.state) ?? 0
  history.replaceState(stamped(current), '', location.href)
  /** A history move being undone (to the entry at `current`): its events are not the user's. */
  let undoing = false
  /** While a route is being applied, the stores pass through views that are not history entries. */
  let applying = 0
  const settle = () => {
    written = formatRoute(currentRoute())
    if (written !== location.hash) history.replaceState(history.state, '', written) // a job that is gone, say
  }
  const follow = (hash: string) => {
    const route = parseRoute(hash)
    written = location.hash
    applying++
    void applyRoute(route)
      .catch(() => undefined) // the store shows its own error
      .finally(() => {
        if (--applying === 0) settle()
      })
  }
  const onHashChange = () => {
    const target = location.hash
    if (target === written) {
      undoing = false // back on the entry shown (popstate and hashchange both report each move)
      return
    }
    if (undoing) return
    // back/forward or a typed link: an unstamped entry is a new one, right after the one shown
    const targetIndex = entryIndex(history.state) ?? current + 1
    const go = () => {
      current = targetIndex
      if (entryIndex(history.state) !== targetIndex) history.replaceState(stamped(targetIndex), '', location.href)
      follow(target)
    }
    // away from unsaved edits: the view (and its URL) stays until the user answers
    const work = unsavedWork(parseRoute(target))
    if (!work) return go()
    const shown = current
    if (targetIndex === shown) {
      // the entry itself changed (location.replace): put its hash back
      history.replaceState(history.state, '', written)
    } else {
      undoing = true
      history.go(shown - targetIndex)
    }
    void mayLeave(undefined, work).then((leave) => {
      if (!leave) return
      if (targetIndex === shown && current === shown) {
        history.replaceState(history.state, '', target)
        return go()
      }
      // the move again: its events find the edits saved or dropped, and follow. Saving may have
      // pushed an entry (a new version's id), which drops the entries after it: a forward target
      // is then a new entry.
      if (targetIndex < current || (targetIndex > current && current === shown)) history.go(targetIndex - current)
      else location.hash = target
    })
  }
  const onStoreChange = () => {
    if (!canvas && useRoute.getState().page === 'graph' && useExplorer.getState().tab === 'workflows') void loadCanvas()
    if (applying) return
    const next = formatRoute(currentRoute())
    if (next === written) return
    // typing in the Jobs search is one step in the history, not one per key: it rewrites its entry
    const typed = onlySearchDiffers(parseRoute(written), parseRoute(next))
    written = next
    if (typed) history.replaceState(history.state, '', next)
    else history.pushState(stamped(++current), '', next)
  }
  const unsubscribe = [useRoute, useJobs, useScripts, useImports, useWorkflows, useExplorer].map((store) => (store as { subscribe(l: () => void): () => void }).subscribe(onStoreChange))
  // the canvas's store is watched from when its tab first loads it
  const watchCanvas = (store: CanvasStore) => {
    unsubscribe.push(store.subscribe(onStoreChange))
    onStoreChange()
  }
  if (canvas) watchCanvas(canvas)
  else canvasLoaded.push(watchCanvas)
  window.addEventListener('hashchange', onHashChange)
  window.addEventListener('popstate', onHashChange)
  follow(location.hash || '#/jobs')
  return () => {
    if (canvasLoaded.includes(watchCanvas)) canvasLoaded.splice(canvasLoaded.indexOf(watchCanvas), 1)
    unsubscribe.forEach((u) => u())
    window.removeEventListener('hashchange', onHashChange)
    window.removeEventListener('popstate', onHashChange)
  }
}
