// The Workflows page's run grid of a workflow deleted meanwhile (ux18 #3): the server answers 404
// workflow_not_found (it answered 200 with no runs); the grid then says the workflow is gone, instead of
// keeping the grid it showed before or reading "No runs yet".
import '../support/memory-storage' // before the stores: they read localStorage
import { beforeAll, describe, expect, it } from 'vitest'
import { useWorkflowManage } from '../../renderer/src/stores/workflow-manage'
import { useWorkflows } from '../../renderer/src/stores/workflows'
import type { TestApp } from '../support/app'
import { rendererAppSuite } from '../support/renderer-app'

const suite = rendererAppSuite()
let t: TestApp
beforeAll(() => ({ t } = suite))

describe('the run grid of a deleted workflow', () => {
  it('drops the grid it showed and says the workflow is gone', async () => {
    const saved = await t.call('POST', '/api/v1/workflows', { text: 'workspace: demo\ndagName: brief\ntasks:\n  - {category: pass, name: only}\n' })
    expect(saved.status, JSON.stringify(saved.body)).toBe(201)
    await useWorkflows.getState().open(saved.body.descriptorId)
    expect(useWorkflows.getState().detail?.name).toBe('brief')
    await useWorkflowManage.getState().loadGrid()
    expect(useWorkflowManage.getState().gridOf).toBe('demo:brief')
    expect(useWorkflowManage.getState().grid).toEqual({ runs: [], tasks: [] })

    expect((await t.call('DELETE', '/api/v1/workflows?workspace=demo&name=brief')).status).toBe(200)
    await useWorkflowManage.getState().loadGrid()
    expect(useWorkflowManage.getState().grid).toBeNull()
    expect(useWorkflowManage.getState().error).toBe('Workflow demo:brief was deleted: it has no runs to show.')
  })
})
