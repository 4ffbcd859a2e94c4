// New-user trial (Dec 2026): a task clicked on a workflow that has runs said "Submit the workflow to
// see this task's input, output, error and log", as if it had none; the runs are a click away.
import { describe, expect, it } from 'vitest'
import { runFailingFlow } from './flows'
import { browserSuite, signIn } from './support'

const suite = browserSuite({ width: 1400, height: 860 })

describe('Workflows: a task of a workflow with runs, no run open', () => {
  it('points to the runs to open, not only to Submit', async () => {
    const { page, served, token } = suite
    const { descriptorId } = await runFailingFlow(served, token)
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows/${encodeURIComponent(descriptorId)}`)
    await page.getByText('RECENT RUNS', { exact: false }).waitFor()
    await page.locator('.react-flow__node', { hasText: 'boom' }).click()
    const hint = page.getByText(/to see this task's input, output, error and log/)
    await hint.waitFor()
    expect(await hint.textContent()).toBe("Open a run (Recent runs, the grid, or Submit) to see this task's input, output, error and log.")
  })
})
