// Opening a workflow on the Workflows page for a browser test (saved through the API, then opened by its
// URL), and replacing the editor's text.
import type { Page } from 'playwright-core'
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

/**
 * Replaces the whole text of the YAML editor on `page` (the Workflows page, its editor shown) with
 * `text`, inserted at once as a paste is (no typing pause between keys). Waits for nothing after: the
 * check of the new text, a save with Ctrl+S, the graph are the caller's to wait for.
 */
export async function typeDescriptor(page: Page, text: string): Promise<void> {
  await page.getByTestId('yaml-editor').click()
  await page.keyboard.press('ControlOrMeta+A')
  await page.keyboard.insertText(text)
}
