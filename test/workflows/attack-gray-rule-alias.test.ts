// Attack (atk28) on the hidden-character rule for names and Rill Flow alias names. modify_alias.json
// and add_descriptor.json hold an alias to `^[a-zA-Z0-9]+$` (assertAlias: no hidden character, at most
// 100 characters), but modify_gray.json takes any alias: `rel\u202Eease` (drawn as "relesae") and a
// 20,000-character one are stored as gray-rule names and listed back by get_gray.json. Every
// workflow's gray rules live in one settings row (SETTING_KEYS.rillflowGray) that each modify_gray
// reads and rewrites whole, and that a submit by `biz:feature` reads: with names and rules of any
// length and number, one workflow owner grows it without bound for everyone.
// Expected: modify_gray refuses an alias that is not an alias name, as modify_alias does.
// The cause: electron/workflows/rillflow/service.ts setGrayRule (no assertAlias; no bound on the rule;
// ownership.ts mayUseWorkflow lets anyone change a workflow with no owner yet).
import { expect, it } from 'vitest'
import { rillSuite } from './support/rill-suite'
import { rillClient } from './support/rill-client'
import { addUser } from '../support/users'

const s = rillSuite()
const GRAY = '/flow/bg/manage/descriptor/modify_gray.json'

const setGray = (alias: string) =>
  s.rill.call('POST', `${GRAY}?add=true&business_id=grayws&feature_name=daily&alias=${encodeURIComponent(alias)}&gray_rule=${encodeURIComponent('rand(100) < 10')}`)

it('refuses a gray rule for an alias with U+202E or past 100 characters, as modify_alias does', async () => {
  await s.rill.addDescriptor('workspace: grayws\ndagName: daily\ntype: flow\ntasks:\n  - {category: pass, name: P}\n')
  const control = await s.rill.call('POST', `/flow/bg/manage/descriptor/modify_alias.json?add=true&business_id=grayws&feature_name=daily&alias=${encodeURIComponent('rel\u202Eease')}`)
  expect(control.status).toBe(400) // modify_alias refuses it
  for (const alias of ['rel\u202Eease', 'a'.repeat(5_000)]) {
    const res = await setGray(alias)
    // fails: 200 {ret: true}, the name stored and listed by get_gray.json
    expect.soft(res.status, `${alias.slice(0, 12)}: ${JSON.stringify(res.body).slice(0, 120)}`).toBe(400)
  }
  const gray = await s.rill.call('GET', '/flow/bg/manage/descriptor/get_gray.json?business_id=grayws&feature_name=daily')
  expect(Object.keys(gray.body.gray ?? {})).toEqual([])
})

// setGrayRule asks assertMayUseWorkflow(…, 'change'), which lets anyone change a workflow that has no
// owner yet (no version stored): a plain user plants a gray rule under a name an admin later takes,
// and from then on the admin's submits by `biz:feature` go to the alias the stranger's rule picks.
it("refuses a plain user's gray rule for a workflow that is no one's yet, so it cannot steer the later owner's submits", async () => {
  const bob = await addUser(s.t, 'bob')
  const bobRill = rillClient(s.t.url, bob.token)
  const planted = await bobRill.call('POST', `${GRAY}?add=true&business_id=adminws&feature_name=later&alias=canary&gray_rule=${encodeURIComponent('true')}`)
  // the admin stores two versions: release and canary (with a second user, Rill Flow calls need a credential)
  const admin = rillClient(s.t.url, s.t.token)
  const yaml = (tag: string) => `workspace: adminws\ndagName: later\ntype: flow\ntasks:\n  - {category: pass, name: ${tag}}\n`
  await admin.addDescriptor(yaml('Canary'), '?business_id=adminws&feature_name=later&alias=canary')
  await admin.addDescriptor(yaml('Release'), '?business_id=adminws&feature_name=later&alias=release')
  const id = await admin.submit('adminws:later', {})
  const done = await admin.finished(id)
  // fails: planted is 200 {ret: true}, and the admin's submit by adminws:later ran the canary version (task Canary)
  expect.soft(planted.body.ret, JSON.stringify(planted.body)).not.toBe(true)
  expect(Object.keys(done.tasks)).toEqual(['Release'])
})
