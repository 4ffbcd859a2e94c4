// #13.4 trial: at 900×600 the workflow list is a drawer over the editor. Choosing a workflow in it
// closes it, but "New workflow" leaves it open over the new workflow's editor, which the user then
// has to close by hand before typing.
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SHOTS, api, browserSuite, poll, signIn } from './support'

const FLOW = `workspace: trial
dagName: drawer
type: flow
tasks:
  - {category: pass, name: only}
`

const suite = browserSuite({ width: 900, height: 600 })

describe('Workflows at 900×600: the list drawer', () => {
  it('closes when the user chooses a workflow, and when they choose "New workflow"', async () => {
    const { page, served, token } = suite
    const { descriptorId } = await api(served.url, token, 'POST', '/api/v1/workflows', { text: FLOW })
    await signIn(page, served.url)
    await page.goto(`${served.url}/#/workflows`)
    await page.getByTestId('yaml-editor').waitFor()
    const list = page.getByRole('navigation', { name: 'workflows' })
    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await list.getByTestId('wf-item-trial:drawer').click()
    await poll(() => page.url()).toContain(encodeURIComponent(descriptorId).split('%3Amd5')[0])
    await poll(() => list.count()).toBe(0)

    await page.getByRole('button', { name: 'show the workflow list' }).click()
    await list.getByRole('button', { name: 'New workflow' }).click()
    await poll(() => page.getByTestId('yaml-editor').innerText()).not.toContain('dagName: drawer')
    await page.waitForTimeout(500) // as long as choosing a workflow takes to close it
    await page.screenshot({ path: resolve(SHOTS, 'trial5-workflow-drawer-new.png') })
    expect(await list.count()).toBe(0)
  })
})
