// Gray rules (modify_gray.json) exist only for a stored workflow, so a name's first owner never
// inherits a stranger's rules (atk28).
import { expect, it } from 'vitest'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()
const M = '/flow/bg/manage/descriptor'
const yaml = (dag: string, task: string) => `workspace: bounds\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: ${task}}\n`
const setGray = (dag: string, alias: string, rule: string) =>
  s.rill.call('POST', `${M}/modify_gray.json?add=true&business_id=bounds&feature_name=${dag}&alias=${alias}&gray_rule=${encodeURIComponent(rule)}`)
const grayOf = async (dag: string) => (await s.rill.call('GET', `${M}/get_gray.json?business_id=bounds&feature_name=${dag}`)).body.gray

it('refuses a gray rule for a workflow with no stored version, in the envelope of a descriptor it does not have', async () => {
  const res = await setGray('nobodys', 'canary', 'true')
  expect([res.status, res.body]).toEqual([400, { error_code: 30106, error: 'workflow bounds:nobodys does not exist' }])
  expect(s.t.app.store.settings.get<Record<string, unknown>>(SETTING_KEYS.rillflowGray, {})).not.toHaveProperty('bounds:nobodys')
})

it("does not let a workflow's first version inherit rules left under its name (stored by a release that accepted them)", async () => {
  const before = s.t.app.store.settings.get<Record<string, Record<string, string>>>(SETTING_KEYS.rillflowGray, {})
  s.t.app.store.settings.set(SETTING_KEYS.rillflowGray, { ...before, 'bounds:later': { canary: 'true' } })
  await s.rill.addDescriptor(yaml('later', 'Canary'), '?business_id=bounds&feature_name=later&alias=canary')
  expect(await grayOf('later')).toEqual({})
  await s.rill.addDescriptor(yaml('later', 'Release'), '?business_id=bounds&feature_name=later&alias=release')
  const done = await s.rill.finished(await s.rill.submit('bounds:later', {}))
  expect(Object.keys(done.tasks)).toEqual(['Release'])
})
