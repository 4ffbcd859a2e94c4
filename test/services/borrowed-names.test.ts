// The one rule for a name with no account of its own (a Linkis Token-User, a proxy user a non-admin
// acts as): users.service borrowedNameProblem, over a real SQLite store. Accounts are ASCII, so such a
// name is ASCII too, and the refusal names the first character that is not (atk28: Latin alpha,
// Cherokee, Coptic, Lisu and N'Ko look-alikes of Latin letters that the skeleton does not list).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { borrowedNameProblem } from '../../electron/services/users.service'
import type { Store } from '../../electron/store'
import { tempStore } from '../support/temp-store'

let t: ReturnType<typeof tempStore>
let store: Store

beforeAll(() => {
  t = tempStore()
  store = t.store
  for (const username of ['alice', 'dave']) store.users.create({ username, passwordHash: 'x', isAdmin: false, mustChangePassword: false, rights: [] })
})
afterAll(() => t.cleanup())

describe('borrowedNameProblem', () => {
  it('takes an account’s own name and ASCII names of no one (capitals, digits, . _ - @)', () => {
    for (const ok of ['alice', 'hadoop', 'ETL', 'ext@svc.example', 'svc_01-a.b']) expect(borrowedNameProblem(store, ok), ok).toBeNull()
  })

  it('refuses a name of any other character, naming it, its code point and its position', () => {
    expect(borrowedNameProblem(store, '\u0251lice')).toBe(
      'is not a user name: it contains "\u0251" (U+0251) at position 1, and a name without an account is ASCII letters, digits, ".", "_", "-" and "@" only',
    )
    for (const [name, code, at] of [
      ['\u13AAlice', 'U+13AA', 1], // Cherokee A
      ['b\u2C9Fb', 'U+2C9F', 2], // Coptic o
      ['b\u07C0b', 'U+07C0', 2], // N'Ko digit zero
      ['ab\u{1F600}', 'U+1F600', 3], // a character beyond the BMP is one, named by its code point
      ['rill flow', 'U+0020', 5],
      ['josé', 'U+00E9', 4], // no account may be named so either
    ] as const) expect(borrowedNameProblem(store, name), name).toContain(`(${code}) at position ${at}`)
    expect(borrowedNameProblem(store, 'x'.repeat(129))).toBe('is not a user name: 1–128 characters')
  })

  it('says which account a look-alike reads as before the character rule (Cyrillic а, the pair cl)', () => {
    expect(borrowedNameProblem(store, '\u0430lice')).toBe('reads as the user alice and is not that user')
    expect(borrowedNameProblem(store, 'clave')).toBe('reads as the user dave and is not that user')
  })
})
