// New-user LOW (#9): a draft whose YAML is invalid showed the template's graph (the starter's, or the
// workflow opened before) as if it were the draft. The graph shown for a broken draft is the last one
// that validated only while the draft still names one of its tasks, and it is marked stale (greyed);
// a text pasted over the starter shows no graph, and the check names the line.
import '../support/memory-storage' // before the stores: they read localStorage
import { beforeAll, describe, expect, it } from 'vitest'
import { shownDesignGraph, STARTER_YAML, useWorkflows } from '../../renderer/src/stores/workflows'
import type { TestApp } from '../support/app'
import { rendererAppSuite } from '../support/renderer-app'

const suite = rendererAppSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

/** Puts `text` in the editor and waits for its check, as the editor's debounce would. */
async function type(text: string) {
  useWorkflows.getState().setDraft(text)
  await useWorkflows.getState().validate(text)
}

const names = () => shownDesignGraph(useWorkflows.getState()).nodes.map((n) => n.name)

describe('the graph of a broken draft', () => {
  it('a text pasted over the starter that does not parse shows no graph, and the check names the line', async () => {
    useWorkflows.getState().newWorkflow()
    await type(STARTER_YAML)
    expect(names()).toEqual(['first', 'second'])
    await type('workspace: mine\ndagName: pasted\ntasks:\n  - category: pass\n    name: load\n   next: [oops\n')
    const s = useWorkflows.getState()
    expect(s.validation?.ok).toBe(false)
    expect(s.validation?.problem?.line).toBeGreaterThan(0)
    expect(names()).toEqual([])
  })

  it('an edit that breaks the starter keeps its last valid graph, marked stale', async () => {
    useWorkflows.getState().newWorkflow()
    await type(STARTER_YAML)
    await type(`${STARTER_YAML}  - {category: pass, name: broken\n`)
    expect(useWorkflows.getState().validation?.ok).toBe(false)
    expect(shownDesignGraph(useWorkflows.getState())).toMatchObject({ stale: true })
    expect(names()).toEqual(['first', 'second'])
  })

  it('a new workflow does not start from the graph of the workflow open before', async () => {
    const saved = await t.call('POST', '/api/v1/workflows', { text: 'workspace: demo\ndagName: other\ntasks:\n  - {category: pass, name: elsewhere}\n' })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    await useWorkflows.getState().open(saved.body.descriptorId)
    expect(names()).toEqual(['elsewhere'])
    useWorkflows.getState().newWorkflow()
    expect(names()).toEqual([])
  })
})
