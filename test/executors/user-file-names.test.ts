// A user name's scratch file (electron/user-file-names.ts): local account names stay their own file
// name; any other name gets a lower-case stem with a hash of the exact name, so no two names share a
// file, also where names are compared ignoring case (Windows, macOS); a pre-rule account's file moves
// to its new name with its tables.
import Database from 'better-sqlite3'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { scratchFileOf, userFileStem } from '../../electron/user-file-names'
import { tempDir } from '../support/temp-store'

let dir = ''
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('user file names', () => {
  it('keeps a local account name as it is', () => {
    for (const name of ['alice', 'ext_svc', 'a.b-c', 'bob2', 'x'.repeat(64)]) expect(userFileStem(name)).toBe(name)
  })

  it('gives every other name a stem no other name has, also ignoring case', () => {
    const names = ['ext@svc', 'ext#svc', 'ext_svc', 'Carol', 'CAROL', 'carol', 'carol+', 'con', 'CON', 'alice.', 'alice', '_x', '', 'x'.repeat(65), 'café', 'cafe\u0301', '王伟']
    const stems = names.map(userFileStem)
    expect(new Set(stems.map((s) => s.toLowerCase())).size).toBe(names.length)
    for (const s of stems) expect(s).toMatch(/^[a-z0-9._+-]{1,64}$/)
    expect(userFileStem('ext@svc')).toMatch(/^ext_svc\+[0-9a-f]{20}$/)
    expect(userFileStem('Carol')).toBe(userFileStem('Carol')) // stable across calls (and restarts)
  })

  it('moves the scratch file of an account made before device names and trailing dots were refused', () => {
    dir = tempDir()
    mkdirSync(dir, { recursive: true })
    const db = new Database(join(dir, 'con.sqlite'))
    db.exec("create table kept (x text); insert into kept values ('mine')")
    db.close()
    const file = scratchFileOf(dir, 'con')
    expect(basename(file)).toBe(`${userFileStem('con')}.sqlite`)
    expect(existsSync(join(dir, 'con.sqlite'))).toBe(false)
    const again = new Database(file)
    expect(again.prepare('select x from kept').all()).toEqual([{ x: 'mine' }])
    again.close()
    // an upper-case name's old file may be the lower-case user's own on Windows and macOS: never moved
    new Database(join(dir, 'Dave.sqlite')).close()
    scratchFileOf(dir, 'Dave')
    expect(existsSync(join(dir, 'Dave.sqlite'))).toBe(true)
  })
})
