// get.json of a RUNNING execution answers a task's large output (over 64 kB of JSON) as its JSON
// text, serialized once, not again on every poll (#9 §2). What a client sees must not change: the
// whole output, and the fields invoke_msg reads from it (code, msg, invoke_id).
import { describe, expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

describe('get.json of a running execution whose task holds a large output', () => {
  it('answers the whole output and its code, msg and invoke_id, poll after poll', async () => {
    const { rill, exec } = s
    const answer = { code: 7, msg: 'fine', invoke_id: 'inv-1', data: `${'d'.repeat(200_000)}中😀"\\` }
    exec.answer('A', answer)
    await rill.addDescriptor(`workspace: big\ndagName: running\ntype: flow\ntasks:
  - {category: function, name: A, next: H, pattern: task_sync, resourceName: "${exec.url}/answer.json?name=A"}
  - {category: function, name: H, pattern: task_sync, resourceName: "${exec.url}/hang.json"}
`)
    const id = await rill.submit('big:running', {})
    const deadline = Date.now() + 15_000
    while (!exec.calls.some((c) => c.path === '/hang.json')) {
      if (Date.now() > deadline) throw new Error('task H never ran')
      await new Promise((r) => setTimeout(r, 20))
    }
    for (let poll = 0; poll < 3; poll++) {
      const ret = await rill.get(id)
      expect(ret.dag_status).toBe('RUNNING')
      expect(ret.tasks.A.invoke_msg).toMatchObject({ output: answer, code: 7, msg: 'fine', invoke_id: 'inv-1' })
    }
  })
})
