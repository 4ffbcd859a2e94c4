// Migration 017 (#9): a password an admin set is held until changed, the first admin's built-in
// default is not. A data folder from before has both flagged 1; afterwards its first admin (the
// one ensureDefaultAdmin made) reads as the default and every other flagged user as admin-set.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../electron/store/connection'
import { createUserRepository } from '../../electron/store/user.repository'
import { tempDir } from '../support/temp-store'
import { oldDatabase } from '../support/old-database'

describe('default and admin-set passwords (migration 017)', () => {
  it('tells the first admin’s default from passwords an admin set in a database from before', () => {
    const file = join(tempDir(), 'old.db')
    oldDatabase(file, 16, (old) => {
      const add = old.prepare(`INSERT INTO users (username, password_hash, is_admin, must_change_password, created_at) VALUES (?, 'x', ?, ?, 1)`)
      add.run('admin', 1, 1) // made by ensureDefaultAdmin, never changed
      add.run('dana', 0, 1) // made by an admin
      add.run('erin', 1, 0) // chose her own
    })

    const users = createUserRepository(openDatabase(file))
    const flags = (name: string) => {
      const u = users.findByUsername(name)!
      return { mustChangePassword: u.mustChangePassword, defaultPassword: u.defaultPassword }
    }
    expect(flags('admin')).toEqual({ mustChangePassword: true, defaultPassword: true })
    expect(flags('dana')).toEqual({ mustChangePassword: true, defaultPassword: false })
    expect(flags('erin')).toEqual({ mustChangePassword: false, defaultPassword: false })
  })

  it('marks a reset as admin-set and a change as chosen', () => {
    const users = createUserRepository(openDatabase(join(tempDir(), 'new.db')))
    const admin = users.create({ username: 'admin', passwordHash: 'x', isAdmin: true, mustChangePassword: true, defaultPassword: true })
    expect(admin).toMatchObject({ mustChangePassword: true, defaultPassword: true })
    users.setPassword(admin.id, 'y', true) // another admin reset it
    expect(users.get(admin.id)).toMatchObject({ mustChangePassword: true, defaultPassword: false })
    users.setPassword(admin.id, 'z', false)
    expect(users.get(admin.id)).toMatchObject({ mustChangePassword: false, defaultPassword: false })
  })
})
