// Gray rules (modify_gray.json) exist only for a stored workflow, so a name's first owner never
// inherits a stranger's rules (atk28); and they have a bounded share of the one settings row that
// holds every workflow's rules, which each change rewrites whole and each `biz:feature` submit reads
// (atk28: the count and length of one workflow's rules were unbounded, so any owner grew it for everyone).
import { expect, it } from 'vitest'
import { MAX_GRAY_RULE_CHARS, MAX_GRAY_RULES } from '../../electron/workflows/rillflow/gray-rules'
import { SETTING_KEYS } from '../../electron/store/setting-keys'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()
const M = '/flow/bg/manage/descriptor'
const yaml = (dag: string, task: string) => `workspace: bounds\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: ${task}}\n`
const setGray = (dag: string, alias: string, rule: string) =>
  s.rill.call('POST', `${M}/modify_gray.json?add=true&business_id=bounds&feature_name=${dag}&alias=${alias}&gray_rule=${encodeURIComponent(rule)}`)
const grayOf = async (dag: string) => (await s.rill.call('GET', `${M}/get_gray.json?business_id=bounds&feature_name=${dag}`)).body.gray

it(`holds at most ${MAX_GRAY_RULES} gray rules per workflow, each of at most ${MAX_GRAY_RULE_CHARS} characters, and says so`, async () => {
  await s.rill.addDescriptor(yaml('many', 'P'))
  for (let i = 0; i < MAX_GRAY_RULES; i++) expect((await setGray('many', `a${i}`, 'rand(100) < 1')).body).toEqual({ ret: true })
  const over = await setGray('many', 'oneMore', 'rand(100) < 1')
  expect([over.status, over.body]).toEqual([400, { error_code: 30110, error: expect.stringContaining(`already has ${MAX_GRAY_RULES} gray rules, the most it may hold`), pass_through: true }])
  expect((await setGray('many', 'a0', 'rand(100) < 2')).body).toEqual({ ret: true }) // replacing one is no more
  const long = `rand(100) < 1${' && true'.repeat(Math.ceil(MAX_GRAY_RULE_CHARS / 8))}`
  const tooLong = await setGray('many', 'a1', long)
  expect([tooLong.status, tooLong.body.error_code, tooLong.body.error]).toEqual([400, 30110, `a gray rule is at most ${MAX_GRAY_RULE_CHARS} characters; this one has ${long.length}`])
  const gray = await grayOf('many')
  expect(Object.keys(gray)).toHaveLength(MAX_GRAY_RULES)
  expect(gray).toMatchObject({ a0: 'rand(100) < 2', a1: 'rand(100) < 1' })
  await s.rill.call('POST', `${M}/modify_gray.json?add=false&business_id=bounds&feature_name=many&alias=a3`)
  expect((await setGray('many', 'oneMore', 'rand(100) < 1')).body).toEqual({ ret: true }) // room again
})

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
  expect(await grayOf('many')).not.toEqual({}) // another workflow's rules stay
})
