// Graph workflows in the browser (#15.3, #15.5): the Jobs page's "Open on the canvas" for a job
// whose workflow was deleted says so (from the button and from the job's URL) instead of an
// empty canvas; on the canvas a graph that does not exist yet is a warning at its component, and
// a query the server cannot parse is refused at save and marked at its component.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn, type Served } from './support'
import { upload } from '../support/upload-files'

const suite = browserSuite({ width: 1400, height: 860 })
const LONG = 120_000

let served: Served
let page: Page
let token: string
beforeAll(async () => {
  ;({ served, page, token } = suite)
  upload(served.dataDir, 'edges.csv', '1,2\n2,3\n')
})

const detail = () => page.getByRole('complementary', { name: 'job detail' })
const deletedText = (jobId: number, wfId: number) => `Job #${jobId} ran the graph workflow “short lived” (#${wfId}), which was deleted`

describe('graph workflows: deleted workflows and checks at save', () => {
  it('says a job’s workflow was deleted when it is opened on the canvas', { timeout: LONG }, async () => {
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'short lived', components: [{ id: 'WCC_1', kind: 'algorithm', algorithm: 'WCC', input: { kind: 'file', path: 'edges.csv' } }], wires: [] },
    })
    const job = await api(served.url, token, 'POST', `/api/v1/graph-workflows/${wf.id}/jobs`, {})
    await expect.poll(async () => (await api(served.url, token, 'GET', `/api/v1/jobs/${job.id}`)).status, { timeout: 60_000 }).toBe('succeeded')
    expect(await api(served.url, token, 'DELETE', `/api/v1/graph-workflows/${wf.id}`)).toEqual({ id: wf.id, deleted: true })

    await signIn(page, served.url)
    await page.locator(`tr[data-job-id="${job.id}"]`).click()
    await detail().getByRole('button', { name: 'Open on the canvas' }).click()
    await poll(() => page.getByText(deletedText(job.id, wf.id)).count()).toBe(1)
    expect(await page.getByText('The job, its log and its results stay on the Jobs page.').isVisible()).toBe(true)
    // the list, not an empty canvas
    expect(await page.getByRole('region', { name: 'graph workflows' }).isVisible()).toBe(true)
    expect(await page.getByTestId('gw-node-WCC_1').count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'graph-workflow-deleted.png') })

    // the job's URL (a bookmark, a reload) says the same
    await page.goto(`${served.url}/#/graph/workflows/${wf.id}?job=${job.id}`)
    await poll(() => page.getByText(deletedText(job.id, wf.id)).count()).toBe(1)
    expect(await page.getByTestId('gw-node-WCC_1').count()).toBe(0)
  })

  it('warns at a component whose graph does not exist yet, and marks a query the server cannot parse at save', { timeout: LONG }, async () => {
    const wf = await api(served.url, token, 'POST', '/api/v1/graph-workflows', {
      document: { name: 'before import', components: [{ id: 'query_1', kind: 'query', graph: 'later', query: 'MATCH (p:person) RETURN p.id', outputs: ['output0'] }], wires: [] },
    })
    expect(wf.warnings).toEqual([{ component: 'query_1', field: 'components[0].graph', message: 'query_1: graph later does not exist (yet); a run needs it' }])
    await page.goto(`${served.url}/#/graph/workflows/${wf.id}`)
    await poll(() => page.getByTestId('gw-warning-query_1').textContent()).toBe('graph later does not exist (yet); a run needs it')
    await page.screenshot({ path: resolve(SHOTS, 'graph-workflow-missing-graph.png') })

    await page.getByTestId('gw-node-query_1').click()
    const query = page.getByRole('complementary', { name: 'component settings' }).getByLabel('Cypher query')
    await query.fill('MATCH (p:person) RETURN p.id; MATCH (q) DETACH DELETE q')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => page.getByTestId('gw-issue-query_1').textContent()).toContain('the query does not parse: Only one statement per request is supported')
    expect(await page.locator('.gw-message.error').textContent()).toContain('query_1: the query does not parse')
    // nothing was stored: still version 1
    expect((await api(served.url, token, 'GET', `/api/v1/graph-workflows/${wf.id}`)).latestVersion).toBe(1)
    await page.screenshot({ path: resolve(SHOTS, 'graph-workflow-bad-query.png') })
    // an edit takes the mark away until the next save
    await query.fill('MATCH (p:person) RETURN p.id')
    await poll(() => page.getByTestId('gw-issue-query_1').count()).toBe(0)
  })
})
