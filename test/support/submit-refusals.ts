// A submit refused by a per-user quota (shared/quotas.ts: queued jobs, held work, kept bytes), as each
// dialect that submits jobs answers it: the quota tests asserted the same three refusals each.
import { expect } from 'vitest'
import { linkisClient } from '../linkis/support'
import type { TestApp } from './app'
import type { TestUser } from './users'

/** What a quota's refusal says: its native error code and the words of its message. */
export interface QuotaRefusal {
  code: string
  words: RegExp
}

/** The SQL job every quota test submits: one statement. */
export const SELECT_ONE = { type: 'script', language: 'sql', code: 'SELECT 1' }

const jobCount = (t: TestApp): unknown => t.app.store.db.prepare('SELECT count(*) AS n FROM jobs').get()

/**
 * Asserts that `user`'s submit is refused, and no job stored, in each dialect: the native API
 * (POST /api/v1/jobs of SELECT_ONE: 403 `{ kind: 'forbidden', code }`, its message matching `words`),
 * Linkis (entrance/submit of `SELECT 1`: status 3 with that message) and Rill Flow (submit.json of a
 * one-pass-task descriptor `<user>s:one` it stores first, which is no job: 403 with that message).
 */
export async function expectSubmitRefused(t: TestApp, user: TestUser, refusal: QuotaRefusal): Promise<void> {
  const before = jobCount(t)

  const native = await user.call('POST', '/api/v1/jobs', SELECT_ONE)
  expect(native.status).toBe(403)
  expect(native.body.error).toMatchObject({ kind: 'forbidden', code: refusal.code, message: expect.stringMatching(refusal.words) })

  const linkis = linkisClient(t.url)
  await linkis.login(user.username, user.password)
  const viaLinkis = await linkis.submit('SELECT 1', 'sql', { labels: { engineType: 'jdbc-4', userCreator: `${user.username}-IDE` } })
  expect(viaLinkis.body).toMatchObject({ status: 3, message: expect.stringMatching(refusal.words) })

  const ws = `${user.username}s`
  const descriptor = `workspace: ${ws}\ndagName: one\ntype: flow\ntasks:\n  - category: pass\n    name: only\n`
  const added = await user.call('POST', `/flow/bg/manage/descriptor/add_descriptor.json?business_id=${ws}&feature_name=one&alias=release`, descriptor, { 'content-type': 'text/plain' })
  expect(added.status, JSON.stringify(added.body)).toBe(200)
  const viaRillFlow = await user.call('POST', `/flow/submit.json?descriptor_id=${ws}:one`, {})
  expect(viaRillFlow.status).toBe(403)
  expect(viaRillFlow.body.error).toMatch(refusal.words)

  expect(jobCount(t)).toEqual(before)
}
