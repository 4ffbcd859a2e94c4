// A pass task's output is its input object (driver.ts), and its output mappings run with that very
// object as `$.output`, after taskChanged already measured it (prepareStateJson) and, when it is
// over 64 kB of JSON, kept its text (state-json.ts largeTexts). A mapping writing `$.output.x`
// then changes the object after its text was kept; the save writes the kept text, so the stored
// output depends on the value's size: a small one keeps the write, a large one loses it.
import { describe, expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()

const descriptor = (name: string) => `workspace: passcache\ndagName: ${name}\ntype: flow\ntasks:
  - category: pass
    name: P
    inputMappings:
      - {source: "$.context.data", target: "$.input.data"}
    outputMappings:
      - {source: "$.context.flag", target: "$.output.added"}
      - {source: "$.output.added", target: "$.context.seen"}
`

describe('a pass task whose output mappings write $.output', () => {
  for (const [label, size] of [
    ['small', 10],
    ['large (over 64 kB)', 100_000],
  ] as const) {
    it(`stores the written field in its output and input alike: ${label}`, async () => {
      const name = `p${size}`
      await s.rill.addDescriptor(descriptor(name))
      const id = await s.rill.submit(`passcache:${name}`, { data: 'd'.repeat(size), flag: 'yes' })
      const done = await s.rill.finished(id)
      expect(done.dag_status).toBe('SUCCEED')
      expect(done.context.seen).toBe('yes') // the mapping ran: the live output held the field
      const out = done.tasks.P.invoke_msg?.output ?? done.tasks.P.output
      // fails for the large one: the stored output is the text kept before the mapping wrote it
      expect(out.added).toBe('yes')
    })
  }
})
