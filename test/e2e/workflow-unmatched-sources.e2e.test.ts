// #9 §5: the workflow check under the Workflows editor did not list the mappings whose source matches
// nothing (the engine logs a WARN for each at run time): a foreach task reading its item as $.it, or a
// key its items' context has not. Each is now a warning naming the task, the source and why; the
// workflow still saves and runs.
import { resolve } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { SHOTS, browserSuite, poll, signIn, type Served } from './support'
import { openWorkflow } from './workflow-page'

const FOREACH = `workspace: unm
dagName: loop
type: flow
tasks:
  - category: foreach
    name: each
    inputMappings: [{source: $.context.list, target: $.input.list}]
    iterationMapping: {collection: $.input.list, item: it}
    tasks:
      - category: pass
        name: leaf
        inputMappings:
          - {source: $.it, target: $.input.a}
          - {source: $.context.flag, target: $.input.b}
          - {source: $.context.it.x, target: $.input.c}
`

const suite = browserSuite({ width: 1280, height: 800 })
let served: Served
let page: Page
beforeAll(() => ({ served, page } = suite))

it('lists each mapping whose source matches nothing, with its task, source and why, and the run is not refused', async () => {
  await signIn(page, served.url)
  await openWorkflow(suite, FOREACH)
  await poll(() => page.getByTestId('validation-message').getAttribute('data-state')).toBe('ok')
  const entries = page.getByTestId('validation-warning')
  await poll(() => entries.count()).toBeGreaterThan(0)
  const more = page.getByRole('button', { name: /more warning/ })
  if (await more.count()) await more.click()
  await poll(() => entries.count()).toBe(2)
  const texts = await entries.allTextContents()
  expect(texts[0]).toContain('Line 13')
  expect(texts[0]).toContain('task leaf: inputMappings[0] reads $.it, which matches nothing: the mapping root holds only $.context, $.input and $.output')
  expect(texts[1]).toContain('Line 14')
  expect(texts[1]).toContain("task leaf: inputMappings[1] reads $.context.flag, which matches nothing: nothing in the context at that path: the context of foreach each's items (its input, item and index) holds only it")
  await page.screenshot({ path: resolve(SHOTS, 'workflow-unmatched-sources.png') })
  // a warning, not an error: Submit runs it
  const form = page.getByRole('form', { name: 'run workflow' })
  await form.getByRole('textbox').fill('{"list": [{"x": 1}]}')
  await form.getByRole('button', { name: 'Submit' }).click()
  await poll(() => page.url()).toContain('execution=')
  expect(await page.getByTestId('wf-submit-error').count()).toBe(0)
})
