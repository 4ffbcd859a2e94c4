// Gray rules (modify_gray.json) exist only for a stored workflow and go with it, so a name's next
// owner never inherits earlier rules (atk28); one workflow's rules are bounded, as each `biz:feature`
// submit reads them all (atk28: their count and length were unbounded). Each rule is a row of its own
// (workflow_gray_rules): they once shared one settings row that each change rewrote whole for everyone.
import { expect, it } from 'vitest'
import { MAX_GRAY_RULE_CHARS, MAX_GRAY_RULES } from '../../electron/workflows/rillflow/gray-rules'
import { DESKTOP_CALLER } from '../../electron/workflows/rillflow/ownership'
import { rillSuite } from './support/rill-suite'

const s = rillSuite()
const M = '/flow/bg/manage/descriptor'
const yaml = (dag: string, task: string) => `workspace: bounds\ndagName: ${dag}\ntype: flow\ntasks:\n  - {category: pass, name: ${task}}\n`
const setGray = (dag: string, alias: string, rule: string) =>
  s.rill.call('POST', `${M}/modify_gray.json?add=true&business_id=bounds&feature_name=${dag}&alias=${alias}&gray_rule=${encodeURIComponent(rule)}`)
const rowsOf = (dag: string) =>
  s.t.app.store.db.prepare('SELECT count(*) FROM workflow_gray_rules WHERE workspace = ? AND name = ?').pluck().get('bounds', dag)
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
  expect(rowsOf('nobodys')).toBe(0)
})

it("drops a workflow's rules with it, so whoever stores its name next starts with none; other workflows' rules stay", async () => {
  await s.rill.addDescriptor(yaml('later', 'Canary'), '?business_id=bounds&feature_name=later&alias=canary')
  expect((await setGray('later', 'canary', 'true')).body).toEqual({ ret: true })
  expect(await grayOf('later')).toEqual({ canary: 'true' })
  s.t.app.workflows.deleteWorkflow(DESKTOP_CALLER, 'bounds', 'later')
  expect(rowsOf('later')).toBe(0)
  await s.rill.addDescriptor(yaml('later', 'Canary'), '?business_id=bounds&feature_name=later&alias=canary')
  expect(await grayOf('later')).toEqual({})
  await s.rill.addDescriptor(yaml('later', 'Release'), '?business_id=bounds&feature_name=later&alias=release')
  const done = await s.rill.finished(await s.rill.submit('bounds:later', {}))
  expect(Object.keys(done.tasks)).toEqual(['Release'])
  expect(Object.keys(await grayOf('many'))).toHaveLength(MAX_GRAY_RULES) // another workflow's rules stay
})

it("changes one workflow's rules without rewriting another's: each rule is its own row, a replaced one keeps its place", async () => {
  const row = (dag: string, alias: string) =>
    s.t.app.store.db.prepare('SELECT id, rule, updated_by FROM workflow_gray_rules WHERE workspace = ? AND name = ? AND alias = ?').get('bounds', dag, alias) as
      | { id: number; rule: string; updated_by: string }
      | undefined
  const other = row('many', 'a0')
  await s.rill.addDescriptor(yaml('own', 'P'))
  expect((await setGray('own', 'first', 'rand(100) < 5')).body).toEqual({ ret: true })
  expect((await setGray('own', 'second', 'rand(100) < 50')).body).toEqual({ ret: true })
  expect((await setGray('own', 'first', 'rand(100) < 6')).body).toEqual({ ret: true })
  expect(await grayOf('own')).toEqual({ first: 'rand(100) < 6', second: 'rand(100) < 50' })
  expect(Object.keys(await grayOf('own'))).toEqual(['first', 'second']) // in the order first set
  expect(row('many', 'a0')).toEqual(other) // untouched, not rewritten
  expect(row('own', 'first')).toMatchObject({ rule: 'rand(100) < 6', updated_by: 'rillflow' })
  expect(s.t.app.store.settings.get('rillflow.grayRules', null)).toBeNull() // no shared row
})
