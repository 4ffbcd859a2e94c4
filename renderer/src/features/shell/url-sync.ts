import { useImports } from '../../stores/imports'
import { useJobs } from '../../stores/jobs'
import { formatRoute, parseRoute, useRoute, type Route } from '../../stores/route'
import { useScripts } from '../../stores/scripts'
import { useWorkflows } from '../../stores/workflows'

/** The route of what the stores show now. */
export function currentRoute(): Route {
  const page = useRoute.getState().page
  if (page === 'jobs') return { page, job: useJobs.getState().selectedId ?? undefined }
  if (page === 'scripts') return { page, job: useScripts.getState().jobId ?? undefined }
  if (page === 'imports') return { page, job: useImports.getState().run?.jobId ?? undefined }
  if (page === 'workflows') {
    const { detail, execution, mode } = useWorkflows.getState()
    return { page, descriptor: detail?.descriptorId, execution: mode === 'run' ? execution?.jobId : undefined }
  }
  return { page }
}

/** Makes the stores show `route`: the page, then its job, or its descriptor and execution. */
async function applyRoute(route: Route): Promise<void> {
  useRoute.getState().setPage(route.page)
  if (route.page === 'jobs' && route.job !== (useJobs.getState().selectedId ?? undefined)) {
    await useJobs.getState().select(route.job ?? null)
  } else if (route.page === 'scripts' && route.job && route.job !== useScripts.getState().jobId) {
    await useScripts.getState().open(route.job)
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
  }
}

/**
 * Keeps the URL's hash and the stores in step, both ways, as Airflow and n8n keep their views in
 * the URL: a reload or a shared link opens the same page, job, workflow and execution; a change of
 * view is a history entry, so back and forward walk through views. Returns the stop function.
 */
export function startUrlSync(): () => void {
  let written = location.hash
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
    if (location.hash !== written) follow(location.hash)
  }
  const onStoreChange = () => {
    if (applying) return
    const next = formatRoute(currentRoute())
    if (next === written) return
    written = next
    history.pushState(history.state, '', next)
  }
  const unsubscribe = [useRoute, useJobs, useScripts, useImports, useWorkflows].map((store) => (store as { subscribe(l: () => void): () => void }).subscribe(onStoreChange))
  window.addEventListener('hashchange', onHashChange)
  window.addEventListener('popstate', onHashChange)
  follow(location.hash || '#/jobs')
  return () => {
    unsubscribe.forEach((u) => u())
    window.removeEventListener('hashchange', onHashChange)
    window.removeEventListener('popstate', onHashChange)
  }
}
