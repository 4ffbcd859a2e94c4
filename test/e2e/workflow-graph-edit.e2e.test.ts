// Editing a workflow on its graph (#9, new user): a person starts from a descriptor with no tasks,
// adds two tasks from the graph's palette, drags a wire from one to the other, is refused a wire
// back (the one cycle message), renames one (a reserved name is refused; the path another reads it by follows), deletes it (told what still reads it) and undoes, adds and deletes a third with the Delete key, undoes
// and redoes from the graph, then saves, runs and sees both tasks succeed. Each edit is the YAML's:
// the editor shows it and keeps the comment the person wrote.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { SHOTS, browserSuite, deleteUndoRedoTask, dragWire, layoutProblems, mainNav, nodesUnderOverlays, poll, signIn, type Served } from './support'
import { typeDescriptor } from './workflow-page'

const suite = browserSuite({ width: 1400, height: 860 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

const BASE = '# built on the graph\nworkspace: demo\ndagName: graphEdit\ntype: flow\n'

const node = (name: string) => page.getByTestId(`wf-node-${name}`)
const yamlText = () => page.getByTestId('yaml-editor').innerText()
const hint = () => page.getByTestId('dag-edit-hint')
const validated = () => poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')

async function addTask(category: string): Promise<void> {
  await page.getByTestId('dag-add-task').selectOption(category)
}

describe('Workflows page: editing the DAG on the graph', () => {
  it('adds two tasks, wires them, refuses a cycle, renames, deletes, undoes, then runs both to success', async () => {
    await signIn(page, served.url)
    await mainNav(page, 'Workflows')
    await page.getByRole('heading', { name: 'Workflows' }).waitFor()
    await typeDescriptor(page, BASE)

    await addTask('pass')
    await poll(yamlText).toContain('name: pass1')
    await addTask('pass')
    await poll(yamlText).toContain('name: pass2')
    await validated()
    await node('pass2').waitFor()
    await poll(() => page.locator('.react-flow__node').count()).toBe(2)
    expect(await page.locator('.react-flow__edge').count()).toBe(0)

    // a wire from pass1's lower anchor to pass2's upper one: pass2 runs after pass1
    await dragWire(page, node('pass1').locator('.react-flow__handle.source'), node('pass2').locator('.react-flow__handle.target'))
    await poll(yamlText).toMatch(/name: pass1\n\s*next: pass2\n/)
    await poll(() => page.locator('.react-flow__edge').count()).toBe(1)
    expect(await hint().count()).toBe(0)

    // and back: a cycle, refused with the validators' one message, the YAML untouched
    const before = await yamlText()
    await dragWire(page, node('pass2').locator('.react-flow__handle.source'), node('pass1').locator('.react-flow__handle.target'))
    await poll(() => hint().textContent()).toBe('cycle found: pass1 -> pass2 -> pass1')
    expect(await yamlText()).toBe(before)

    // a selected wire goes with the Delete wire button, and is drawn again
    const edge = (await page.locator('.react-flow__edge-path').boundingBox())!
    await page.mouse.click(edge.x + edge.width / 2, edge.y + edge.height / 2)
    await page.getByRole('button', { name: 'Delete wire' }).click()
    await poll(yamlText).not.toContain('next: pass2')
    await poll(() => page.locator('.react-flow__edge').count()).toBe(0)
    await dragWire(page, node('pass1').locator('.react-flow__handle.source'), node('pass2').locator('.react-flow__handle.target'))
    await poll(yamlText).toContain('next: pass2')

    // pass1 reads pass2 through the input shorthand (written in the YAML)
    const wired = await yamlText()
    await typeDescriptor(page, wired.replace('name: pass1\n', 'name: pass1\n    input:\n      ref: $.pass2.total\n'))
    await validated()

    // rename the selected task: its name, the next naming it and the path reading it change
    await node('pass2').click()
    const nameField = page.getByTestId('dag-task-name')
    // a reserved name is refused as other names are, in the hint, and the YAML stays as it was
    const unrenamed = await yamlText()
    await nameField.fill('context')
    await nameField.press('Enter')
    await poll(() => hint().textContent()).toMatch(/^"context" is reserved: .*rename the task/)
    expect(await yamlText()).toBe(unrenamed)
    await nameField.fill('report')
    await nameField.press('Enter')
    await poll(yamlText).toMatch(/next: report\n[\s\S]*name: report\n/)
    expect(await yamlText()).toContain('ref: $.report.total\n')
    await validated()
    await node('report').waitFor()
    // deleting report, which pass1's input still reads, says so with the line; Ctrl+Z brings it back
    await node('report').click()
    await page.keyboard.press('Delete')
    await poll(yamlText).not.toContain('name: report')
    const line = (await yamlText()).split('\n').findIndex((l) => l.includes('ref: $.report.total')) + 1
    await poll(() => hint().textContent()).toMatch(new RegExp(`^1 mapping still reads "report": line ${line} `))
    const pane0 = (await page.getByTestId('dag-canvas').locator('.react-flow__pane').boundingBox())!
    await page.mouse.click(pane0.x + 20, pane0.y + pane0.height - 20)
    await page.keyboard.press('ControlOrMeta+Z')
    await poll(yamlText).toContain('name: report')
    await validated()
    await node('report').click()
    // Delete pressed off the graph (the task panel) deletes nothing
    await page.getByLabel('task detail').click()
    await page.keyboard.press('Delete')
    await page.waitForTimeout(500)
    expect(await yamlText()).toContain('name: report')

    // a third task, deleted again with the Delete key
    await addTask('suspense')
    await validated()
    await node('suspense1').waitFor()
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-edit.png') })
    expect(await layoutProblems(page)).toEqual([])
    expect(await nodesUnderOverlays(page)).toEqual([])
    // at 900×600 the strip, with a task selected, wraps clear of the zoom buttons
    await node('suspense1').click()
    await page.setViewportSize({ width: 900, height: 600 })
    await page.waitForTimeout(400)
    expect(await layoutProblems(page)).toEqual([])
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-edit-900.png') })
    await page.setViewportSize({ width: 1400, height: 860 })
    // Ctrl+Z on the graph undoes in the YAML editor's history, Ctrl+Shift+Z redoes
    await deleteUndoRedoTask(page, 'suspense1', 2)

    const text = await yamlText()
    expect(text.startsWith('# built on the graph\n')).toBe(true)
    await validated()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await poll(() => page.getByTestId('saved-id').textContent()).toMatch(/demo:graphEdit:md5_[0-9a-f]{32}/)
    await page.getByLabel('Context (JSON object)').fill('{}')
    await page.getByRole('button', { name: 'Submit' }).click()
    for (const name of ['pass1', 'report']) await expect.poll(() => node(name).getAttribute('data-status'), { timeout: 15_000 }).toBe('succeeded')
    await expect.poll(() => page.getByTestId('execution-status').getAttribute('data-status'), { timeout: 10_000 }).toBe('succeeded')
    // a shown run is read-only: no palette, no anchors to drag
    expect(await page.getByTestId('dag-edit').count()).toBe(0)
    expect(await page.locator('.wf-dag .react-flow__handle.connectable').count()).toBe(0)
    await page.screenshot({ path: resolve(SHOTS, 'workflow-graph-edit-run.png') })
  })
})
