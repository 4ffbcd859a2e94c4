// Opening a workflow on the Workflows page for a browser test: saved through the API, then opened by its URL.
import { api, type BrowserSuite } from './support'

/**
 * Saves `text` (a Rill Flow descriptor's YAML) as a new workflow through the native API and opens it on
 * `suite`'s page (signed in already: signIn) at #/workflows/<descriptorId>. With `run` (the run's context,
 * `{}` for none) it submits the workflow first and opens that run (`?execution=<jobId>`) instead.
 * Returns the ids; waits for the page's navigation only, not for the graph to be drawn. Throws when
 * the API refuses the text or the run (with its answer).
 */
export async function openWorkflow(suite: Pick<BrowserSuite, 'served' | 'page' | 'token'>, text: string, run?: Record<string, unknown>): Promise<{ descriptorId: string; jobId: number | null }> {
  const { served, page, token } = suite
  const saved = await api(served.url, token, 'POST', '/api/v1/workflows', { text })
  if (typeof saved.descriptorId !== 'string') throw new Error(`the workflow was not saved: ${JSON.stringify(saved)}`)
  const descriptorId: string = saved.descriptorId
  const submitted = run ? await api(served.url, token, 'POST', '/api/v1/workflows/submit', { descriptorId, ...(Object.keys(run).length ? { context: run } : {}) }) : null
  if (submitted && typeof submitted.jobId !== 'number') throw new Error(`the workflow was not run: ${JSON.stringify(submitted)}`)
  const jobId: number | null = submitted?.jobId ?? null
  await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}${jobId === null ? '' : `?execution=${jobId}`}`)
  return { descriptorId, jobId }
}
