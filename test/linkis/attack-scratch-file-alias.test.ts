// Attack (atk21, #9 §3): SQL jobs run on the submitter's scratch SQLite file under <data>/scratch. A
// Linkis Token-User needs no local account, and its name became the file name with every character
// other than letters, digits, `.`, `-` and `_` turned into `_`: Token-User `ext@svc` worked in local
// user ext_svc's database, and on Windows and macOS (names compared ignoring case) Token-User `Carol`
// in carol's. Each name now has a scratch file of its own on every system (electron/user-file-names.ts),
// and a local user keeps the file they had.
import Database from 'better-sqlite3'
import { mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ENDED_STATUSES, startTestApp, waitForStatus, type TestApp } from '../support/app'
import { addUser, type TestUser } from '../support/users'
import { linkisClient } from './support'

let t: TestApp
let extSvc: TestUser
let carol: TestUser

beforeAll(async () => {
  t = await startTestApp()
  extSvc = await addUser(t, 'ext_svc', { rights: ['scripts'] })
  carol = await addUser(t, 'carol', { rights: ['scripts'] })
  const tokens = [{ code: 'ANY-USER-1234567', users: ['*'], hosts: ['*'], expiresAt: null }]
  expect((await t.call('POST', '/api/v1/settings/linkis', { tokens, proxyUsers: {} })).status).toBe(200)
}, 60_000)
afterAll(() => t.close())

/** Runs SQL over Linkis as a Token-User without a local account; returns the job's end status. */
async function asTokenUser(user: string, code: string): Promise<string> {
  const res = await linkisClient(t.url).call('POST', '/entrance/submit', { executionContent: { code, runType: 'sql' }, labels: { engineType: 'jdbc-4' } }, { 'Token-Code': 'ANY-USER-1234567', 'Token-User': user })
  expect(res.body.status, JSON.stringify(res.body)).toBe(0)
  return (await waitForStatus(t, res.body.data.taskID, ENDED_STATUSES, 30_000)).status
}

/** Runs SQL as a local user over the native API; returns the job's end status. */
async function asLocal(user: TestUser, code: string): Promise<string> {
  const res = await user.call('POST', '/api/v1/jobs', { type: 'script', language: 'sql', code })
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return (await waitForStatus(t, res.body.id, ENDED_STATUSES, 30_000)).status
}

describe('attack: a Token-User whose name maps onto a local user’s scratch database', { timeout: 60_000 }, () => {
  it('ext@svc gets a database of its own, not ext_svc’s', async () => {
    expect(await asTokenUser('ext@svc', "create table planted (x text); insert into planted values ('from ext@svc')")).toBe('succeeded')
    expect(await asTokenUser('ext@svc', 'select * from planted')).toBe('succeeded')
    expect(await asLocal(extSvc, 'select * from planted')).toBe('failed')
    expect(await asLocal(extSvc, 'create table mine (x text)')).toBe('succeeded')
    expect(await asTokenUser('ext@svc', 'select * from mine')).toBe('failed')
  })

  it('Carol and carol have files whose names differ also ignoring case (Windows, macOS)', async () => {
    expect(await asLocal(carol, 'create table c (x)')).toBe('succeeded')
    expect(await asTokenUser('Carol', 'create table big_c (x)')).toBe('succeeded')
    expect(await asTokenUser('CAROL', 'select 1')).toBe('succeeded')
    const files = readdirSync(join(t.dir, 'scratch')).filter((f) => f.endsWith('.sqlite'))
    const folded = new Set(files.map((f) => f.toLowerCase()))
    expect(folded.size, files.join(', ')).toBe(files.length)
    expect(files).toContain('carol.sqlite')
  })

  it('a local user keeps the scratch database they had before', async () => {
    const dave = await addUser(t, 'dave', { rights: ['scripts'] })
    mkdirSync(join(t.dir, 'scratch'), { recursive: true })
    const db = new Database(join(t.dir, 'scratch', 'dave.sqlite'))
    db.exec("create table kept (x text); insert into kept values ('before the upgrade')")
    db.close()
    expect(await asLocal(dave, 'select * from kept')).toBe('succeeded')
  })
})
