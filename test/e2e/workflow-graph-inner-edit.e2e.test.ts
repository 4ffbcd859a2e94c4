// Editing inside a foreach on the Workflows graph (#9, new user): the foreach's body is drawn as nodes
// inside it; a person selects the body's task, adds a task beside it from the palette, wires the two,
// is refused a wire back (the cycle message) and one out of the body to a top-level task, renames the
// new task, deletes a third one with the Delete key and undoes, then saves, runs and sees the job
// succeed. Each edit is the YAML's, and the comments outside the foreach are kept.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, deleteUndoRedoTask, dragWire, layoutProblems, mainNav, nodesUnderOverlays, poll, signIn, type Served } from './support'
import { typeDescriptor } from './workflow-page'

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const FLOW = `# inner edits
workspace: demo
dagName: innerEdit
type: flow
tasks:
  - category: foreach
    name: each
    next: after
    inputMappings: [{source: $.context.items, target: $.input.items}]
    iterationMapping: {collection: $.input.items, item: it}
    tasks:
      - {category: pass, name: step}
  # the last step
  - category: pass
    name: after
`

const node = (name: string) => page.getByTestId(`wf-node-${name}`)
const yamlText = () => page.getByTestId('yaml-editor').innerText()
const hint = () => page.getByTestId('dag-edit-hint')
const validated = () => poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
const source = (name: string) => node(name).locator('.react-flow__handle.source')
const target = (name: string) => node(name).locator('.react-flow__handle.target')
/** Whether the edit strip's palette row covers the foreach's name (its header is wide, at the graph's top). */
async function headerUnderStrip(): Promise<boolean> {
  const [row, name] = [(await page.locator('.wf-dag-edit-row').boundingBox())!, (await node('each').locator('.wf-node-name').boundingBox())!]
  return row.x < name.x + name.width && row.x + row.width > name.x && row.y < name.y + name.height && row.y + row.height > name.y
}

describe('Workflows page: editing inside a foreach on the graph', () => {
  it('adds, wires, renames and deletes a task in the body, then runs the job to success', async () => {
    await signIn(page, served.url)
    await mainNav(page, 'Workflows')
    await page.getByRole('heading', { name: 'Workflows' }).waitFor()
    await typeDescriptor(page, FLOW)
    await validated()
    // the body's task is a node of its own, drawn inside the foreach
    await node('step').waitFor()
    const [outer, inner] = [(await node('each').boundingBox())!, (await node('step').boundingBox())!]
    expect(inner.x).toBeGreaterThanOrEqual(outer.x)
    expect(inner.y + inner.height).toBeLessThanOrEqual(outer.y + outer.height)
    // at 900 px, an unsaved workflow's run panel (one sentence) leaves the room to the graph
    await page.setViewportSize({ width: 900, height: 600 })
    await poll(async () => (await page.locator('aside[aria-label="run panel"]').boundingBox())!.width).toBeLessThanOrEqual(170)
    expect(await page.locator('aside[aria-label="run panel"]').textContent()).toContain('Save the workflow to run it.')
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-inner-edit-900-unsaved.png') })
    await page.setViewportSize({ width: 1280, height: 800 })

    // selected, the body's task makes the palette add beside it, in the foreach's body
    await node('step').click()
    // polled: the palette follows the selection a render after the click (read at once it raced, stop 39's CI)
    await poll(() => page.getByTestId('dag-add-task').locator('option').first().textContent()).toBe('+ Add task in each')
    await page.getByTestId('dag-add-task').selectOption('pass')
    await poll(yamlText).toMatch(/name: step}\n\s+- category: pass\n\s+name: pass1\n/)
    await validated()
    await node('pass1').waitFor()

    await dragWire(page, source('step'), target('pass1'))
    await poll(yamlText).toContain('{category: pass, name: step, next: pass1}')
    await poll(() => page.locator('.react-flow__edge').count()).toBe(2)
    const before = await yamlText()
    await dragWire(page, source('pass1'), target('step'))
    await poll(() => hint().textContent()).toBe('cycle found: step -> pass1 -> step')
    await dragWire(page, source('pass1'), target('after'))
    await poll(() => hint().textContent()).toMatch(/^"pass1" is in "each"'s body and "after" in the top level: a wire joins two tasks of one level/)
    expect(await yamlText()).toBe(before)

    // rename: the sibling's next follows
    await node('pass1').click()
    await page.getByTestId('dag-task-name').fill('store')
    await page.getByTestId('dag-task-name').press('Enter')
    await poll(yamlText).toMatch(/next: store}\n[\s\S]*name: store\n/)
    await validated()
    await node('store').waitFor()
    // its detail, as a top-level task's
    await poll(() => page.getByLabel('task detail').textContent()).toMatch(/Category\s*pass/)

    // a third task in the body, deleted with the Delete key, back with Ctrl+Z
    await node('store').click()
    await poll(() => page.getByTestId('dag-add-task').locator('option').first().textContent()).toBe('+ Add task in each')
    await page.getByTestId('dag-add-task').selectOption('suspense')
    await validated()
    await node('suspense1').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-inner-edit.png') })
    expect(await layoutProblems(page)).toEqual([])
    expect(await nodesUnderOverlays(page)).toEqual([])
    expect(await headerUnderStrip()).toBe(false)
    await page.setViewportSize({ width: 900, height: 600 })
    await page.waitForTimeout(400)
    expect(await layoutProblems(page)).toEqual([])
    expect(await headerUnderStrip()).toBe(false)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-inner-edit-900.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await deleteUndoRedoTask(page, 'suspense1', 4)

    const text = await yamlText()
    expect(text.startsWith('# inner edits\n')).toBe(true)
    expect(text).toContain('  # the last step\n')
    await validated()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => page.getByTestId('saved-id').textContent()).toMatch(/demo:innerEdit:md5_[0-9a-f]{32}/)
    await page.getByLabel('Context (JSON object)').fill('{"items": [1, 2]}')
    await page.getByRole('button', { name: 'Submit' }).click()
    await expect.poll(() => page.getByTestId('execution-status').getAttribute('data-status'), { timeout: 20_000 }).toBe('succeeded')
    for (const name of ['each', 'after']) expect(await node(name).getAttribute('data-status')).toBe('succeeded')
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-inner-edit-run.png') })
  })
})
